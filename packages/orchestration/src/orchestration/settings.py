"""Thresholds and paths the checks use, read from the environment when a check runs, never at
import, so one code location serves the sample data, a full release and a historical replay."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ingestion.config import data_dir

MIN_ROWS_ENV = "NEWSREC_MIN_ROWS_PER_PUBLISHER"
FRESHNESS_BUDGET_ENV = "NEWSREC_FRESHNESS_BUDGET_HOURS"
FRESHNESS_AS_OF_ENV = "NEWSREC_FRESHNESS_AS_OF"

# The scale-1 sample has a few hundred candidate rows per publisher; a real release has millions.
DEFAULT_MIN_ROWS = 100
DEFAULT_FRESHNESS_BUDGET_HOURS = 48.0


def warehouse_path(base: Path | None = None) -> Path:
    """The DuckDB file dbt builds: `$NEWSREC_DATA_DIR/warehouse.duckdb`."""
    return (base or data_dir()) / "warehouse.duckdb"


def min_rows_per_publisher() -> int:
    value = _env(MIN_ROWS_ENV)
    if value is None:
        return DEFAULT_MIN_ROWS
    rows = int(value)
    if rows < 0:
        raise ValueError(f"{MIN_ROWS_ENV} must be >= 0, got {value!r}")
    return rows


def freshness_budget() -> timedelta:
    value = _env(FRESHNESS_BUDGET_ENV)
    hours = DEFAULT_FRESHNESS_BUDGET_HOURS if value is None else float(value)
    if hours <= 0:
        raise ValueError(f"{FRESHNESS_BUDGET_ENV} must be > 0, got {value!r}")
    return timedelta(hours=hours)


def freshness_as_of() -> datetime:
    """`$NEWSREC_FRESHNESS_AS_OF` (ISO-8601; a naive value is UTC), or now.

    Set it to replay a historical release, e.g. `2019-11-15T00:00:00Z` for MIND."""
    value = _env(FRESHNESS_AS_OF_ENV)
    if value is None:
        return datetime.now(UTC)
    return as_utc(datetime.fromisoformat(value))


def as_utc(moment: datetime) -> datetime:
    """Warehouse timestamps are naive UTC; make every moment comparable."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None
