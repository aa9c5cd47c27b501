"""Blocking checks on `stg_unified_impressions`: a publisher that drops out or stops updating
stops the marts and editorial models from being rebuilt on top of it."""

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import dagster as dg
from ingestion import PUBLISHERS

from orchestration.dbt_project import relation_name
from orchestration.defs.assets.dbt import UNIFIED_MODEL
from orchestration.defs.resources import LayoutResource
from orchestration.settings import (
    as_utc,
    freshness_as_of,
    freshness_budget,
    min_rows_per_publisher,
)
from orchestration.translator import check_automation_condition
from orchestration.warehouse import WAREHOUSE_POOL, read_only

UNIFIED_KEY = dg.AssetKey(UNIFIED_MODEL)


def evaluate_row_counts(counts: Mapping[str, int], minimum: int) -> dg.AssetCheckResult:
    """Pass when every publisher has at least `minimum` rows; name the ones that do not."""
    missing = [p for p in PUBLISHERS if counts.get(p, 0) == 0]
    short = [p for p in PUBLISHERS if 0 < counts.get(p, 0) < minimum]
    problems = [f"{p}: no rows" for p in missing] + [
        f"{p}: {counts[p]} rows < {minimum}" for p in short
    ]
    metadata: dict[str, Any] = {
        f"rows/{p}": dg.MetadataValue.int(counts.get(p, 0)) for p in PUBLISHERS
    }
    metadata["min_rows_per_publisher"] = dg.MetadataValue.int(minimum)
    metadata["missing_publishers"] = dg.MetadataValue.json(missing)
    metadata["problems"] = dg.MetadataValue.json(problems)
    return dg.AssetCheckResult(
        passed=not problems,
        severity=dg.AssetCheckSeverity.ERROR,
        description="; ".join(problems) or f"every publisher has at least {minimum} rows",
        metadata=metadata,
    )


def evaluate_freshness(
    newest: Mapping[str, datetime], as_of: datetime, budget: timedelta, rule: str = "now"
) -> dg.AssetCheckResult:
    """Pass when each loaded publisher's newest impression is within `budget` before `as_of`.

    A publisher with no rows at all is the row-count check's to report."""
    as_of = as_utc(as_of)
    ages = {p: as_of - as_utc(t) for p, t in newest.items()}
    stale = sorted(p for p, age in ages.items() if age > budget)
    problems = [f"{p}: newest impression {_hours(ages[p]):.1f} h old" for p in stale]
    if not newest:
        problems.append("no impressions at all")
    metadata: dict[str, Any] = {
        f"newest/{p}": dg.MetadataValue.timestamp(as_utc(t)) for p, t in sorted(newest.items())
    }
    metadata.update(
        {f"age_hours/{p}": dg.MetadataValue.float(round(_hours(a), 2)) for p, a in ages.items()}
    )
    metadata["as_of"] = dg.MetadataValue.timestamp(as_of)
    metadata["as_of_rule"] = dg.MetadataValue.text(rule)
    metadata["budget_hours"] = dg.MetadataValue.float(_hours(budget))
    budget_text = f"{_hours(budget):g} h before {as_of.isoformat()}"
    return dg.AssetCheckResult(
        passed=not problems,
        severity=dg.AssetCheckSeverity.ERROR,
        description="; ".join(problems) + f" (budget {budget_text})"
        if problems
        else f"every publisher has impressions within {budget_text}",
        metadata=metadata,
    )


@dg.asset_check(
    asset=UNIFIED_KEY,
    name="row_count",
    blocking=True,
    pool=WAREHOUSE_POOL,
    automation_condition=check_automation_condition(),
    description=(
        "Every publisher has at least $NEWSREC_MIN_ROWS_PER_PUBLISHER rows (default 100); "
        "a publisher that is missing fails by name."
    ),
)
def row_count(layout: LayoutResource) -> dg.AssetCheckResult:
    minimum = min_rows_per_publisher()
    with read_only(layout.layout.warehouse) as con:
        rows = con.execute(
            f"select publisher, count(*) from {relation_name(UNIFIED_MODEL)} group by publisher"
        ).fetchall()
    return evaluate_row_counts(dict(rows), minimum)


@dg.asset_check(
    asset=UNIFIED_KEY,
    name="freshness",
    blocking=True,
    pool=WAREHOUSE_POOL,
    automation_condition=check_automation_condition(),
    description=(
        "Each publisher's newest impression_time is at most $NEWSREC_FRESHNESS_BUDGET_HOURS "
        "(default 48) before $NEWSREC_FRESHNESS_AS_OF (ISO-8601; default: the end of generated "
        "sample data, else now); set the as-of time to check a historical release."
    ),
)
def freshness(layout: LayoutResource) -> dg.AssetCheckResult:
    (as_of, rule), budget = freshness_as_of(layout.layout), freshness_budget()
    with read_only(layout.layout.warehouse) as con:
        rows = con.execute(
            f"select publisher, max(impression_time)::timestamp "
            f"from {relation_name(UNIFIED_MODEL)} "
            f"where impression_time is not null group by publisher"
        ).fetchall()
    return evaluate_freshness(dict(rows), as_of, budget, rule)


def _hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600
