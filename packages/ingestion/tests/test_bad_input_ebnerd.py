"""Bad EB-NeRD Parquet is refused with file, member, column and row group, before anything of
the file is landed: not Parquet, a missing column, a column of another type."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import FIXTURES, visible, write_zip
from ingestion import Layout
from ingestion.errors import BadInputError
from ingestion.landing import Origin, iter_members, scan
from ingestion.pipeline import run_publisher
from ingestion.readers import ebnerd as reader


def parquet_bytes(table: pa.Table, **options: object) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink, **options)
    return sink.getvalue()


def behaviors(rows: int = 1000, **columns: pa.Array) -> pa.Table:
    table = {
        "impression_id": pa.array(range(1, rows + 1), pa.uint32()),
        "impression_time": pa.array([0] * rows, pa.timestamp("us")),
        "article_ids_inview": pa.array([[1, 2]] * rows, pa.large_list(pa.int32())),
        "user_id": pa.array([7] * rows, pa.uint32()),
    }
    return pa.table({**table, **columns})


def load(data: Path, members: dict[str, bytes]) -> BadInputError:
    write_zip(data / "raw-download/ebnerd/ebnerd_small.zip", members)
    with pytest.raises(BadInputError) as caught:
        run_publisher("ebnerd", Layout.at(data))
    return caught.value


def test_a_member_that_is_not_parquet_is_refused(data: Path) -> None:
    error = load(data, {"train/behaviors.parquet": b"impression_id,user_id\n1,2\n"})
    assert (error.file, error.member) == ("ebnerd_small.zip", "train/behaviors.parquet")
    assert error.reason.startswith("not a readable Parquet file:")


def test_a_truncated_parquet_member_is_refused(data: Path) -> None:
    whole = (FIXTURES / "history.parquet").read_bytes()
    error = load(data, {"train/history.parquet": whole[: len(whole) // 2]})
    assert error.member == "train/history.parquet"
    assert error.reason.startswith("not a readable Parquet file:")


def test_a_missing_column_is_refused_naming_it(data: Path) -> None:
    error = load(data, {"train/behaviors.parquet": parquet_bytes(behaviors().drop(["user_id"]))})
    assert str(error) == (
        "ebnerd_small.zip, member train/behaviors.parquet: missing column(s) user_id expected "
        "in EB-NeRD behaviors"
    )


def test_a_changed_type_names_the_column_the_row_group_and_the_row(data: Path) -> None:
    ids = pa.array([*range(1, 2500), -1, *range(2501, 3001)], pa.int64())  # uint32 in EB-NeRD
    table = behaviors(3000).set_column(3, "user_id", ids)
    error = load(data, {"validation/behaviors.parquet": parquet_bytes(table, row_group_size=1000)})
    assert error.member == "validation/behaviors.parquet"
    assert error.reason.startswith(
        "row group 3 of 3 (rows 2,001-3,000), row 2,500: column user_id has type int64, "
        "expected uint32, and -1 does not convert"
    )
    assert visible(data, "ebnerd", "behaviors") == []  # rows 1-2,499 were read, none landed


def test_a_type_with_no_conversion_is_refused_before_a_row_is_read(data: Path) -> None:
    table = behaviors().set_column(2, "article_ids_inview", pa.array(range(1000), pa.int64()))
    error = load(data, {"train/behaviors.parquet": parquet_bytes(table, row_group_size=400)})
    assert error.reason.startswith(
        "column article_ids_inview has type int64 in every row group (3), "
        "expected large_list<item: int32>"
    )


def test_a_type_that_converts_is_conformed(data: Path) -> None:
    # other writers: int64 ids that fit, list for large_list, nanosecond timestamps
    table = behaviors(
        3,
        impression_id=pa.array([1, 2, 3], pa.int64()),
        article_ids_inview=pa.array([[1], [2], [3]], pa.list_(pa.int32())),
        impression_time=pa.array([0, 1000, 2000], pa.timestamp("ns")),
    )
    write_zip(
        data / "raw-download/ebnerd/ebnerd_small.zip",
        {"train/behaviors.parquet": parquet_bytes(table)},
    )
    report = run_publisher("ebnerd", Layout.at(data))
    assert report.rows_per_table == {"behaviors": 3}


def test_a_conversion_that_would_lose_data_is_refused(data: Path) -> None:
    times = pa.array([0, 1000, 1001], pa.timestamp("ns"))  # the last is not a whole microsecond
    table = behaviors(3, impression_time=times)
    error = load(data, {"train/behaviors.parquet": parquet_bytes(table)})
    assert error.reason.startswith(
        "row group 1 of 1 (rows 1-3), row 3: column impression_time has type timestamp[ns], "
        "expected timestamp[us], and 1970-01-01 00:00:00.000001001 does not convert"
    )


def test_a_damaged_page_names_its_row_group(data: Path) -> None:
    # a loose file has no archive checksum: the damage shows when the page is decoded
    folder = data / "raw-download/ebnerd/ebnerd_small/train"
    folder.mkdir(parents=True)
    path = folder / "behaviors.parquet"
    pq.write_table(behaviors(30_000), path, row_group_size=10_000, compression="zstd")
    page = pq.ParquetFile(path).metadata.row_group(1).column(0).data_page_offset
    damaged = bytearray(path.read_bytes())
    damaged[page + 60 : page + 68] = bytes(8)
    path.write_bytes(bytes(damaged))
    with pytest.raises(BadInputError) as caught:
        run_publisher("ebnerd", Layout.at(data))
    assert (caught.value.file, caught.value.member) == ("ebnerd_small/train/behaviors.parquet",) * 2
    assert caught.value.reason.startswith(
        "row group 2 of 3 (rows 10,001-20,000): cannot be decoded: "
    )
    assert "\n" not in str(caught.value)
    assert visible(data, "ebnerd", "behaviors") == []


def test_a_loose_file_cut_short_while_it_is_read_says_so(data: Path) -> None:
    folder = data / "raw-download/ebnerd/ebnerd_small/train"
    folder.mkdir(parents=True)
    path = folder / "behaviors.parquet"
    pq.write_table(behaviors(), path)
    (source,), _ = scan(data / "raw-download/ebnerd")
    (member,) = iter_members(source)  # opened and checked against the scan
    path.write_bytes(path.read_bytes()[:100])  # a download tool rewriting it in place
    origin = Origin(source.rel, member.name, "ebnerd_small", "train")
    with pytest.raises(BadInputError) as caught:
        list(reader.read_parquet(member, "behaviors", origin))
    assert caught.value.reason.startswith("the file changed size (")
    assert "bytes) while it was being read: run the load again" in caught.value.reason
