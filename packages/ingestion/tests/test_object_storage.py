"""The lake on object storage (an S3 server on 127.0.0.1, moto): loads land in the bucket, only
finished loads are visible, and a run removes what an unfinished load left there, as on the local
lake. Run alone: `uv run --package ingestion pytest packages/ingestion -m s3`."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import mind_zip
from ingestion import (
    LakeStore,
    Layout,
    install_lake_rules,
    lake_store,
    lake_summary,
    run_publisher,
)
from object_storage import S3Server, s3_server

pytestmark = pytest.mark.s3
MIND = "raw-download/mind"
KILLED_LOAD = "9999999999.123456"


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with s3_server() as server:
        yield server


@pytest.fixture
def lake(s3: S3Server, data: Path, monkeypatch: pytest.MonkeyPatch) -> Layout:
    """`data` with its lake in the bucket, under a prefix of its own."""
    for name, value in s3.env.items():
        monkeypatch.setenv(name, value)
    return Layout.at(data, s3.bucket_url(data.name))


def behaviors(layout: Layout) -> list[tuple]:
    con = install_lake_rules(duckdb.connect(), layout)
    return con.execute(
        "select impression_id, _source_file from lake_visible_rows('raw_mind', 'behaviors') "
        "order by all"
    ).fetchall()


def test_a_load_lands_in_the_bucket_and_only_there(lake: Layout) -> None:
    mind_zip(lake.data_dir / MIND, "MINDsmall_train.zip")
    report = run_publisher("mind", lake)
    assert report.status == "loaded" and report.rows_per_table["behaviors"] == 3
    assert [row[0] for row in behaviors(lake)] == ["1", "2", "3"]
    files = lake_store(lake).files("mind")
    assert "init" in files and any(name.startswith("_dlt_loads/") for name in files)
    assert not (lake.lake / "raw_mind").exists()
    summary = lake_summary(lake, "mind")
    assert summary.rows == sum(report.rows_per_table.values())
    assert {t.name: t.parquet_files for t in summary.tables}["behaviors"] == 1
    assert run_publisher("mind", lake).status == "up_to_date"


def test_an_unfinished_load_is_invisible_and_removed_by_the_next_run(lake: Layout) -> None:
    """What a run killed before its load record leaves in the bucket: whole data and inventory
    objects (an upload is atomic: never a torn one) and a pipeline state of a load that never
    finished."""
    mind_zip(lake.data_dir / MIND, "MINDsmall_train.zip")
    run_publisher("mind", lake)
    before = behaviors(lake)
    store = lake_store(lake)
    planted = {
        f"{table}/{KILLED_LOAD}.deadbeef00.parquet": _of_killed_load(store, table)
        for table in ("behaviors", "source_files")
    }
    planted[f"_dlt_pipeline_state/newsrec_mind__{KILLED_LOAD}__0a1b2c.jsonl"] = b"{}"
    for name, payload in planted.items():
        store.fs.pipe_file(f"{store.dataset('mind')}/{name}", payload)
    assert behaviors(lake) == before
    mind_zip(lake.data_dir / MIND, "MINDlarge_test.zip")
    assert run_publisher("mind", lake).status == "loaded"
    assert not set(planted) & set(store.files("mind"))
    assert len(behaviors(lake)) == len(before) + 3


def test_a_removed_download_drops_out_and_its_objects_are_deleted(lake: Layout) -> None:
    first = mind_zip(lake.data_dir / MIND, "MINDsmall_train.zip")
    run_publisher("mind", lake)
    old = {n for n in lake_store(lake).files("mind") if n.startswith("behaviors/")}
    first.unlink()
    mind_zip(lake.data_dir / MIND, "MINDlarge_test.zip")
    run_publisher("mind", lake)
    assert {source for _, source in behaviors(lake)} == {"MINDlarge_test.zip"}
    mind_zip(lake.data_dir / MIND, "MINDsmall_dev.zip")
    run_publisher("mind", lake)
    left = set(lake_store(lake).files("mind"))
    assert not old & left  # three loads later, the first one's objects are gone


def _of_killed_load(store: LakeStore, table: str) -> bytes:
    """The table's one Parquet object, as if the killed load had written it."""
    (name,) = [n for n in store.files("mind") if n.startswith(f"{table}/")]
    rows = pq.read_table(io.BytesIO(store.read_bytes("mind", name)))
    column = rows.schema.get_field_index("_dlt_load_id")
    rows = rows.set_column(column, "_dlt_load_id", pa.array([KILLED_LOAD] * rows.num_rows))
    sink = io.BytesIO()
    pq.write_table(rows, sink)
    return sink.getvalue()
