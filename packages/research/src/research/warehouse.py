"""The warehouse, opened read-only: an export or a scoring run never blocks a build for long and
never writes to it."""

from __future__ import annotations

from pathlib import Path

import duckdb
from ingestion import register_lake

RESEARCH_SCHEMA = "research"


class WarehouseError(RuntimeError):
    """The warehouse is missing, or was built without the research models."""


def connect(warehouse: Path, spill_dir: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection with bounded memory: sorts and joins beyond 1 GB spill to
    `spill_dir`, so an export's memory does not grow with its size."""
    if not warehouse.is_file():
        raise WarehouseError(
            f"no warehouse at {warehouse}: build it first (make demo, or make dbt ARGS=build)"
        )
    spill_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(
        str(warehouse),
        read_only=True,
        config={
            "memory_limit": "1GB",
            "temp_directory": str(spill_dir),
            "preserve_insertion_order": False,
        },
    )
    register_lake(con)  # the staging views read the lake
    built = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = ? and table_name = 'benchmark_splits'",
        [RESEARCH_SCHEMA],
    ).fetchone()[0]
    if not built:
        con.close()
        raise WarehouseError(
            f"{warehouse} has no research models: rebuild it (make dbt ARGS=build) with this "
            "version of the project"
        )
    return con
