"""Thresholds the checks use, read from the environment when a check runs, never at import, so
one code location serves the sample data, a full release and a historical replay."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from ingestion import PUBLISHERS, Layout, release_for_dataset

MIN_ROWS_ENV = "NEWSREC_MIN_ROWS_PER_PUBLISHER"
FRESHNESS_BUDGET_ENV = "NEWSREC_FRESHNESS_BUDGET_HOURS"
FRESHNESS_AS_OF_ENV = "NEWSREC_FRESHNESS_AS_OF"
PUBLISHERS_ENV = "NEWSREC_PUBLISHERS"

# The scale-1 sample has a few hundred candidate rows per publisher; a real release has millions.
DEFAULT_MIN_ROWS = 100
DEFAULT_FRESHNESS_BUDGET_HOURS = 48.0


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


def chosen_publishers() -> list[str] | None:
    """`$NEWSREC_PUBLISHERS` (comma-separated), when set: the publishers the checks expect."""
    value = _env(PUBLISHERS_ENV)
    if value is None:
        return None
    chosen = [p.strip() for p in value.split(",") if p.strip()]
    unknown = sorted(set(chosen) - set(PUBLISHERS))
    if unknown or not chosen:
        raise ValueError(
            f"{PUBLISHERS_ENV}={value!r}: expected a comma-separated list of "
            f"{', '.join(PUBLISHERS)}"
        )
    return [p for p in PUBLISHERS if p in chosen]


def freshness_as_of(
    layout: Layout, publisher: str, datasets: Iterable[str]
) -> tuple[datetime, str]:
    """The moment a publisher's freshness is judged at, and why:
    `$NEWSREC_FRESHNESS_AS_OF` (ISO-8601; a naive value is UTC) when set; else the end of
    generated sample data, a snapshot as of then (so a sample generated days ago stays fresh);
    else, when every release it landed is a historical one of the catalogue, the newest event
    those releases can have; else now (live data)."""
    value = _env(FRESHNESS_AS_OF_ENV)
    if value is not None:
        return as_utc(datetime.fromisoformat(value)), f"${FRESHNESS_AS_OF_ENV}"
    if layout.sample_report.exists():
        end = json.loads(layout.sample_report.read_text(encoding="utf-8"))["end"]
        return as_utc(datetime.fromisoformat(end)), "the sample's end (sample-report.json)"
    landed = list(datasets)
    releases = [r for d in landed if (r := release_for_dataset(publisher, d)) is not None]
    if landed and len(releases) == len(landed):
        names = ", ".join(sorted({r.name for r in releases}))
        return max(r.last_event for r in releases), f"the last event of the release(s) {names}"
    return datetime.now(UTC), "now"


def as_utc(moment: datetime) -> datetime:
    """Warehouse timestamps are naive UTC; make every moment comparable."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None
