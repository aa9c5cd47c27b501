"""EB-NeRD: the real fixture rows land with their source types, from flat and wrapped zips."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from conftest import FIXTURES, visible, write_zip
from ingestion import Layout
from ingestion.errors import BadInputError
from ingestion.pipeline import run_publisher
from ingestion.readers import ebnerd as reader

MAC_JUNK = {
    "__MACOSX/._articles.parquet": b"\x00\x05\x16\x07",
    "__MACOSX/train/._behaviors.parquet": b"\x00\x05\x16\x07",
}


def parquet_bytes(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def lake_schema(base: Path, table: str) -> dict[str, str]:
    files = sorted((base / "lake/raw_ebnerd" / table).glob("*.parquet"))
    return {f.name: str(f.type) for f in pq.read_schema(files[-1])}


def fixture_zip(folder: Path, name: str = "ebnerd_demo.zip") -> Path:
    members = {
        "train/behaviors.parquet": (FIXTURES / "behaviors.parquet").read_bytes(),
        "train/history.parquet": (FIXTURES / "history.parquet").read_bytes(),
        "train/": b"",
        **MAC_JUNK,
    }
    return write_zip(folder / name, members)


def test_real_fixture_rows_land_with_source_types(data: Path) -> None:
    fixture_zip(data / "raw-download/ebnerd")
    report = run_publisher("ebnerd", Layout.at(data))
    assert report.rows_per_table == {"behaviors": 1046, "history": 44}
    assert report.skipped_files == []
    schema = lake_schema(data, "behaviors")
    assert schema["impression_id"] == "uint32"
    assert schema["impression_time"] == "timestamp[us]"  # naive, as in the source
    assert schema["gender"] == "int8"
    assert schema["article_ids_inview"].startswith("large_list<")
    history = lake_schema(data, "history")
    assert history["impression_time_fixed"] == "large_list<element: timestamp[us]>"


def test_fixture_values_survive_unchanged(data: Path) -> None:
    fixture_zip(data / "raw-download/ebnerd")
    run_publisher("ebnerd", Layout.at(data))
    source = pq.read_table(FIXTURES / "behaviors.parquet")
    landed = visible(
        data,
        "ebnerd",
        "behaviors",
        "sum(len(article_ids_inview)), sum(len(article_ids_clicked)), "
        "count(*) filter (where article_id is null), count(*) filter (where gender is null)",
    )
    assert landed == [
        (
            pc.sum(pc.list_value_length(source["article_ids_inview"])).as_py(),
            pc.sum(pc.list_value_length(source["article_ids_clicked"])).as_py(),
            source["article_id"].null_count,
            source["gender"].null_count,
        )
    ]
    assert visible(data, "ebnerd", "behaviors", "distinct _dataset, _split") == [
        ("ebnerd_demo", "train")
    ]


def test_wide_rows_are_read_in_batches_bounded_by_bytes(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # each history row holds a user's whole history: a row count would not bound a batch's size
    history = pq.ParquetFile(FIXTURES / "history.parquet").metadata
    monkeypatch.setattr(reader, "BATCH_BYTES", 4 << 10)
    per_batch = reader.batch_rows(history)
    assert 1 <= per_batch < history.num_rows // 4
    fixture_zip(data / "raw-download/ebnerd")
    run_publisher("ebnerd", Layout.at(data))
    source = pq.read_table(FIXTURES / "history.parquet")
    landed = visible(data, "ebnerd", "history", "_row_number, user_id, len(article_id_fixed)")
    assert landed == [
        (number, user, len(articles))
        for number, (user, articles) in enumerate(
            zip(
                source["user_id"].to_pylist(),
                source["article_id_fixed"].to_pylist(),
                strict=True,
            ),
            start=1,
        )
    ]


def test_wrapped_testset_with_beyond_accuracy_rows(data: Path) -> None:
    train = pq.read_table(FIXTURES / "behaviors.parquet")
    test = train.drop_columns(
        ["article_id", "article_ids_clicked", "next_read_time", "next_scroll_percentage"]
    ).append_column("is_beyond_accuracy", pa.array([False] * train.num_rows))
    zeros = pa.array([0] * 3, pa.uint32())
    beyond = test.slice(0, 3).set_column(0, "impression_id", zeros)
    beyond = beyond.set_column(beyond.num_columns - 1, "is_beyond_accuracy", pa.array([True] * 3))
    write_zip(
        data / "raw-download/ebnerd/ebnerd_testset.zip",
        {
            "ebnerd_testset/test/behaviors.parquet": parquet_bytes(
                pa.concat_tables([test, beyond])
            ),
            "ebnerd_testset/.DS_Store": b"junk",
            "__MACOSX/ebnerd_testset/._.DS_Store": b"junk",
        },
    )
    fixture_zip(data / "raw-download/ebnerd")
    report = run_publisher("ebnerd", Layout.at(data))
    assert report.rows_per_table == {"behaviors": 1046 * 2 + 3, "history": 44}
    grouped = visible(
        data,
        "ebnerd",
        "behaviors",
        "_dataset, _split, count(*), count(article_ids_clicked), "
        "count(*) filter (where is_beyond_accuracy and impression_id = 0)",
        grouped=True,
    )
    assert grouped == [
        ("ebnerd_demo", "train", 1046, 1046, 0),
        ("ebnerd_testset", "test", 1049, 0, 3),
    ]


def test_articles_at_the_archive_root(data: Path) -> None:
    articles = pa.table(
        {
            "article_id": pa.array([1, 2], pa.int32()),
            "title": pa.array(["a", "b"], pa.large_string()),
            "category": pa.array([1, 2], pa.int16()),
        }
    )
    write_zip(
        data / "raw-download/ebnerd/ebnerd_small.zip", {"articles.parquet": parquet_bytes(articles)}
    )
    run_publisher("ebnerd", Layout.at(data))
    assert visible(data, "ebnerd", "articles", "article_id, title, _split, _dataset") == [
        (1, "a", None, "ebnerd_small"),
        (2, "b", None, "ebnerd_small"),
    ]
    assert lake_schema(data, "articles")["published_time"] == "timestamp[us]"


def test_corrupt_parquet_names_the_member(data: Path) -> None:
    write_zip(data / "raw-download/ebnerd/ebnerd_small.zip", {"train/history.parquet": b"nope"})
    with pytest.raises(BadInputError) as caught:
        run_publisher("ebnerd", Layout.at(data))
    assert (caught.value.file, caught.value.member) == ("ebnerd_small.zip", "train/history.parquet")


def test_missing_required_column_is_an_error(data: Path) -> None:
    table = pa.table({"user_id": pa.array([1], pa.uint32())})
    write_zip(
        data / "raw-download/ebnerd/ebnerd_small.zip",
        {"validation/behaviors.parquet": parquet_bytes(table)},
    )
    with pytest.raises(BadInputError, match="missing column"):
        run_publisher("ebnerd", Layout.at(data))
