"""Read-only access to the dbt target, for checks and summaries: they never take the writer lock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

# DuckDB has one writer per file: every step that opens the warehouse runs in this pool, whose
# limit `dagster.yaml` sets to 1.
WAREHOUSE_POOL = "duckdb_warehouse"


class WarehouseMissingError(FileNotFoundError):
    """Nothing to check: dbt has not built the warehouse yet."""


@contextmanager
def read_only(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the warehouse, in UTC so timestamps compare as stored."""
    if not path.exists():
        raise WarehouseMissingError(f"{path} does not exist: build the dbt models first")
    con = duckdb.connect(str(path), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        yield con
    finally:
        con.close()
