"""`lake_summary`: what the lake holds for a publisher, by the readers' rule, whatever the last
run did."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from conftest import MIND_TEST_BEHAVIORS, mind_zip, visible
from ingestion import Layout, lake_summary, run_publisher


def test_the_summary_is_the_visible_rows_and_survives_a_run_that_loads_nothing(data: Path) -> None:
    layout = Layout.at(data)
    mind_zip(data / "raw-download/mind", "MINDsmall_train.zip")
    mind_zip(data / "raw-download/mind", "MINDlarge_test.zip", MIND_TEST_BEHAVIORS)
    first = run_publisher("mind", layout)
    held = lake_summary(layout, "mind")
    tables = {t.name: t for t in held.tables}
    for name, table in tables.items():
        assert table.rows == visible(data, "mind", name, "count(*)")[0][0]
        assert table.parquet_files >= 1 and table.parquet_bytes > 0
    assert held.rows == sum(first.rows_per_table.values())
    assert held.load_id == first.load_id
    assert held.source_files == ("MINDlarge_test.zip", "MINDsmall_train.zip")
    columns = dict(tables["behaviors"].columns)
    assert columns["impression_id"] == "VARCHAR" and "_source_file" in columns

    second = run_publisher("mind", layout)
    assert second.status == "up_to_date" and not second.rows_per_table
    assert lake_summary(layout, "mind") == held

    # the leftover of a load that never finished (rows written, no line in _dlt_loads) is not held
    behaviors = data / "lake/raw_mind/behaviors"
    rows = pq.read_table(next(behaviors.glob("*.parquet")))
    unfinished = pa.array(["1999999999.123"] * rows.num_rows, pa.string())
    rows = rows.set_column(rows.schema.get_field_index("_dlt_load_id"), "_dlt_load_id", unfinished)
    pq.write_table(rows, behaviors / "1999999999.123.deadbeef.parquet")
    assert lake_summary(layout, "mind") == held


def test_a_removed_file_leaves_the_summary_and_an_empty_lake_has_none(data: Path) -> None:
    layout = Layout.at(data)
    assert lake_summary(layout, "mind").tables == ()
    mind_zip(data / "raw-download/mind", "MINDsmall_train.zip")
    test = mind_zip(data / "raw-download/mind", "MINDlarge_test.zip", MIND_TEST_BEHAVIORS)
    run_publisher("mind", layout)
    before = lake_summary(layout, "mind")
    test.unlink()
    run_publisher("mind", layout)
    after = lake_summary(layout, "mind")
    assert after.source_files == ("MINDsmall_train.zip",)
    assert after.rows < before.rows
    assert after.rows == visible(data, "mind", "behaviors", "count(*)")[0][0] + sum(
        t.rows for t in after.tables if t.name != "behaviors"
    )
