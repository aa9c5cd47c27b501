"""The same model files on Spark build the same warehouse as on DuckDB.

At scale 1 the sample is ingested once, built on DuckDB (`dbt build`) and on Spark
(`dbt build --target spark`, pyspark's local JVM: Java 17), and every model of both builds is
exported to Parquet (`export_parquet`) and compared row for row: floating-point values within a
relative 1e-9, everything else exactly (Adressa's sampled negatives and every hash included).
About four minutes on two cores. Alone:
`uv run --package transform pytest packages/transform -m spark`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import dbt_build, dbt_run
from ingestion import PUBLISHERS, Layout, run_publisher
from sample import generate_sample
from transform import write_spark_lake

pytestmark = pytest.mark.spark

SCHEMAS = ("staging", "marts", "editorial", "research")
REL_TOL = 1e-9
ABS_TOL = 1e-12


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, dict]:
    """(data directory, DuckDB's export, Spark's export, the Spark build's run results) of one
    scale-1 sample."""
    base = tmp_path_factory.mktemp("spark")
    layout = Layout.at(base)
    generate_sample(layout, scale=1, seed=0)
    for publisher in PUBLISHERS:
        run_publisher(publisher, layout)
    duckdb_export, spark_export = base / "export-duckdb", base / "export-spark"
    duckdb_export.mkdir()
    dbt_build(base)
    dbt_run(
        base, "run-operation", "export_parquet", "--args", json.dumps({"to": str(duckdb_export)})
    )
    write_spark_lake(layout)
    dbt_build(base, "--target", "spark")
    spark_results = json.loads((layout.dbt_target / "run_results.json").read_text())
    dbt_run(
        base,
        "run-operation",
        "export_parquet",
        "--target",
        "spark",
        "--args",
        json.dumps({"to": str(spark_export)}),
    )
    return base, duckdb_export, spark_export, spark_results


def normalised(value: Any) -> Any:
    """A value as both engines' Parquet can be compared: decimals as floats, timestamps naive
    UTC, lists and structs as tuples."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(value, list):
        return tuple(normalised(item) for item in value)
    if isinstance(value, dict):
        return tuple((key, normalised(item)) for key, item in value.items())
    return value


def sort_key(row: tuple) -> tuple:
    """Rows in one order on both sides: floats rounded so that 1e-9 differences sort alike."""

    def key(value: Any) -> tuple:
        if value is None:
            return (0, "")
        if isinstance(value, float):
            return (1, float(f"{value:.6g}") if math.isfinite(value) else str(value))
        return (2, repr(value))

    return tuple(key(value) for value in row)


def read(folder: Path) -> tuple[list[str], list[tuple]]:
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    cursor = con.execute("select * from read_parquet(?)", [str(folder / "*.parquet")])
    columns = [column[0] for column in cursor.description]
    rows = [tuple(normalised(value) for value in row) for row in cursor.fetchall()]
    return columns, rows


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float | int):
        return (math.isnan(a) and math.isnan(b)) or math.isclose(
            a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL
        )
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def differences(duckdb_folder: Path, spark_folder: Path) -> str | None:
    """None when both exports hold the same rows (in any order), else what differs first."""
    columns, duckdb_rows = read(duckdb_folder)
    spark_columns, spark_rows = read(spark_folder)
    if sorted(columns) != sorted(spark_columns):
        return f"columns {columns} against {spark_columns}"
    order = [spark_columns.index(column) for column in columns]
    spark_rows = [tuple(row[i] for i in order) for row in spark_rows]
    if len(duckdb_rows) != len(spark_rows):
        return f"{len(duckdb_rows)} rows on DuckDB, {len(spark_rows)} on Spark"
    for duckdb_row, spark_row in zip(
        sorted(duckdb_rows, key=sort_key), sorted(spark_rows, key=sort_key), strict=True
    ):
        if not same(duckdb_row, spark_row):
            return f"DuckDB {duckdb_row} against Spark {spark_row}"
    return None


def test_spark_build_passes_every_data_test(exports: tuple[Path, Path, Path, dict]) -> None:
    results = exports[3]
    assert results["args"]["target"] == "spark"
    tests = [r for r in results["results"] if r["unique_id"].startswith("test.")]
    assert len(tests) > 100
    assert {r["status"] for r in tests} == {"pass"}


def test_every_model_equals_duckdbs_row_for_row(exports: tuple[Path, Path, Path, dict]) -> None:
    _, duckdb_export, spark_export, _ = exports
    models = sorted(folder.name for folder in duckdb_export.iterdir())
    assert sorted(folder.name for folder in spark_export.iterdir()) == models
    assert {model.split(".")[0] for model in models} == set(SCHEMAS)
    assert "staging.stg_unified_impressions" in models
    found = {
        model: difference
        for model in models
        if (difference := differences(duckdb_export / model, spark_export / model))
    }
    assert not found, "\n".join(
        f"{model}: {difference}"[:600] for model, difference in found.items()
    )


def test_the_comparison_sees_a_changed_value(exports: tuple[Path, Path, Path, dict]) -> None:
    """The comparison is not blind: one hash off by one in a copy of Spark's export differs."""
    base, duckdb_export, spark_export, _ = exports
    model = "research.benchmark_datasets"
    changed = base / "changed" / model
    changed.mkdir(parents=True)
    con = duckdb.connect()
    con.execute(
        f"copy (select * replace (dataset_hash + 1 as dataset_hash) "
        f"from read_parquet('{spark_export / model}/*.parquet')) to '{changed / 'data.parquet'}'"
    )
    assert differences(duckdb_export / model, changed) is not None
    assert differences(duckdb_export / model, spark_export / model) is None
