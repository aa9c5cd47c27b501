"""dbt sees only rows of finished loads, and builds even when a publisher was never loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from conftest import EBNERD_FIXTURES, dbt_build, query, unified_counts
from ingestion import Layout, run_publisher


def test_an_empty_lake_builds_every_model_empty(data: Path) -> None:
    result = dbt_build(data)
    assert "raw_mind.behaviors has no finished load" in result.stdout
    assert unified_counts(data) == {}
    assert query(data, "select count(*) from marts.fct_impressions") == [(0,)]


def test_rows_of_an_unfinished_load_stay_invisible(data: Path) -> None:
    train = data / "raw-download/ebnerd/ebnerd_demo/train"
    train.mkdir(parents=True)
    shutil.copy(EBNERD_FIXTURES / "behaviors.parquet", train / "behaviors.parquet")
    run_publisher("ebnerd", Layout.at(data))
    dbt_build(data, "--select", "+stg_unified_impressions")
    before = unified_counts(data)

    # a killed run leaves Parquet files of its own load id behind, and no line in _dlt_loads
    table = data / "lake/raw_ebnerd/behaviors"
    rows = pq.read_table(next(table.glob("*.parquet")))
    killed = "9999999999.123456"
    rows = rows.set_column(
        rows.schema.get_field_index("_dlt_load_id"),
        "_dlt_load_id",
        pa.array([killed] * rows.num_rows, pa.string()),
    )
    pq.write_table(rows, table / f"{killed}.deadbeef00.parquet")
    dbt_build(data, "--select", "+stg_unified_impressions")
    assert unified_counts(data) == before
