"""Blocking checks on `stg_unified_impressions`: a publisher that drops out or stops updating
stops the marts and editorial models from being rebuilt on top of it. They read the run's own
build of the warehouse (`orchestration.warehouse`), before it is published; on Spark
(`NEWSREC_DBT_TARGET=spark`), the Parquet of Spark's tables.

Which publishers are expected: `$NEWSREC_PUBLISHERS` when set; else those with downloads in
their landing folder, plus any that had rows when the check last ran (a publisher dropping out
fails by name). A user with only MIND gets a green graph."""

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any

import dagster as dg
import duckdb
from ingestion import PUBLISHERS, Layout, snapshot

from orchestration.dbt_project import engine, relation_name
from orchestration.defs.assets.dbt import UNIFIED_MODEL
from orchestration.defs.resources import LayoutResource
from orchestration.settings import (
    as_utc,
    chosen_publishers,
    freshness_as_of,
    freshness_budget,
    min_rows_per_publisher,
)
from orchestration.translator import check_automation_condition
from orchestration.warehouse import WAREHOUSE_POOL, WarehouseBuild, read_only, spark_tables

UNIFIED_KEY = dg.AssetKey(UNIFIED_MODEL)
ROW_COUNT_KEY = dg.AssetCheckKey(UNIFIED_KEY, "row_count")
HEALTH_MODEL = "stg_unified_publisher_health"


def expected_publishers(
    layout: Layout, previous: Mapping[str, int], held_back: Sequence[str] = ()
) -> tuple[list[str], str]:
    """The publishers that must have rows, and the rule that chose them. Publishers held back
    for unsound staging are `publishers_healthy`'s to report, not missing ones."""
    chosen = chosen_publishers()
    if chosen is not None:
        expected, rule = chosen, "$NEWSREC_PUBLISHERS"
    else:
        present = {p for p in PUBLISHERS if snapshot(layout, p).files}
        had = {p for p, rows in previous.items() if rows > 0}
        expected = [p for p in PUBLISHERS if p in present | had]
        rule = "downloads present, and publishers that had rows at the last check"
    held = [p for p in expected if p in held_back]
    if held:
        rule += f"; held back for unsound staging: {', '.join(held)}"
    return [p for p in expected if p not in held], rule


def evaluate_row_counts(
    counts: Mapping[str, int],
    minimum: int,
    expected: Sequence[str] = PUBLISHERS,
    rule: str = "every publisher",
) -> dg.AssetCheckResult:
    """Pass when every expected publisher has at least `minimum` rows; name the ones that do
    not. Nothing expected at all (no downloads anywhere) fails too."""
    missing = [p for p in expected if counts.get(p, 0) == 0]
    short = [p for p in expected if 0 < counts.get(p, 0) < minimum]
    problems = [f"{p}: no rows" for p in missing] + [
        f"{p}: {counts[p]} rows < {minimum}" for p in short
    ]
    if not expected:
        problems.append("no publisher has downloads: nothing to check")
    metadata: dict[str, Any] = {
        f"rows/{p}": dg.MetadataValue.int(counts.get(p, 0)) for p in PUBLISHERS
    }
    metadata["min_rows_per_publisher"] = dg.MetadataValue.int(minimum)
    metadata["expected_publishers"] = dg.MetadataValue.json(list(expected))
    metadata["expected_rule"] = dg.MetadataValue.text(rule)
    metadata["missing_publishers"] = dg.MetadataValue.json(missing)
    metadata["problems"] = dg.MetadataValue.json(problems)
    return dg.AssetCheckResult(
        passed=not problems,
        severity=dg.AssetCheckSeverity.ERROR,
        description="; ".join(problems)
        or f"{', '.join(expected)}: each has at least {minimum} rows",
        metadata=metadata,
    )


def evaluate_freshness(
    newest: Mapping[str, datetime],
    as_of: Mapping[str, tuple[datetime, str]],
    budget: timedelta,
) -> dg.AssetCheckResult:
    """Pass when each loaded publisher's newest impression is within `budget` before its as-of
    moment (`as_of[publisher]`: the moment and the rule that chose it).

    A publisher with no rows at all is the row-count check's to report."""
    ages = {p: as_utc(as_of[p][0]) - as_utc(t) for p, t in newest.items()}
    stale = sorted(p for p, age in ages.items() if age > budget)
    problems = [
        f"{p}: newest impression {_hours(ages[p]):.1f} h before {as_utc(as_of[p][0]).isoformat()}"
        f" ({as_of[p][1]})"
        for p in stale
    ]
    if not newest:
        problems.append("no impressions at all")
    metadata: dict[str, Any] = {}
    for p, t in sorted(newest.items()):
        metadata[f"newest/{p}"] = dg.MetadataValue.timestamp(as_utc(t))
        metadata[f"age_hours/{p}"] = dg.MetadataValue.float(round(_hours(ages[p]), 2))
        metadata[f"as_of/{p}"] = dg.MetadataValue.timestamp(as_utc(as_of[p][0]))
        metadata[f"as_of_rule/{p}"] = dg.MetadataValue.text(as_of[p][1])
    metadata["budget_hours"] = dg.MetadataValue.float(_hours(budget))
    return dg.AssetCheckResult(
        passed=not problems,
        severity=dg.AssetCheckSeverity.ERROR,
        description="; ".join(problems) + f" (budget {_hours(budget):g} h)"
        if problems
        else f"every publisher has impressions within {_hours(budget):g} h of its as-of time",
        metadata=metadata,
    )


def run_warehouse(
    context: dg.AssetCheckExecutionContext, layout: Layout
) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
    """A read-only connection to what the run built: on DuckDB its own build when it has one
    (before it is published), else the published warehouse; on Spark, the Parquet of Spark's
    tables."""
    if engine() == "spark":
        return spark_tables(layout.spark)
    return read_only(WarehouseBuild(layout, context.op_execution_context.run_id).current)


def previous_counts(context: dg.AssetCheckExecutionContext) -> dict[str, int]:
    """Rows per publisher when `row_count` last completed in another run (none on a new
    instance)."""
    history = context.instance.event_log_storage.get_asset_check_execution_history(
        ROW_COUNT_KEY, limit=10
    )
    for record in history:
        if record.run_id == context.op_execution_context.run_id or record.event is None:
            continue
        evaluation = record.event.dagster_event.event_specific_data  # type: ignore[union-attr]
        if not isinstance(evaluation, dg.AssetCheckEvaluation):
            continue  # planned, not run
        return {
            p: evaluation.metadata[f"rows/{p}"].value
            for p in PUBLISHERS
            if f"rows/{p}" in evaluation.metadata
        }
    return {}


@dg.asset_check(
    asset=UNIFIED_KEY,
    name="row_count",
    blocking=True,
    pool=WAREHOUSE_POOL,
    automation_condition=check_automation_condition(),
    description=(
        "Every expected publisher has at least $NEWSREC_MIN_ROWS_PER_PUBLISHER rows (default "
        "100). Expected: $NEWSREC_PUBLISHERS, else those with downloads present and any that "
        "had rows at the last check; a publisher that is missing fails by name."
    ),
)
def row_count(
    context: dg.AssetCheckExecutionContext, layout: LayoutResource
) -> dg.AssetCheckResult:
    minimum = min_rows_per_publisher()
    with run_warehouse(context, layout.layout) as con:
        rows = con.execute(
            f"select publisher, count(*) from {relation_name(UNIFIED_MODEL)} group by publisher"
        ).fetchall()
        held_back = [p for p, healthy, *_ in publisher_health(con) if not healthy]
    expected, rule = expected_publishers(layout.layout, previous_counts(context), held_back)
    return evaluate_row_counts(dict(rows), minimum, expected, rule)


def publisher_health(con: Any) -> list[tuple[str, bool, str | None, int, int]]:
    """Per publisher: healthy, the problem, impressions, repeated events dropped."""
    return con.execute(
        f"select publisher, is_healthy, problem, impressions, duplicates_dropped "
        f"from {relation_name(HEALTH_MODEL)} order by publisher"
    ).fetchall()


def evaluate_health(rows: Sequence[tuple[str, bool, str | None, int, int]]) -> dg.AssetCheckResult:
    """Fail naming every publisher held back from the unified model, with what was held back
    and why; the others' rows still reach the marts."""
    held = [
        (p, problem, impressions) for p, healthy, problem, impressions, _ in rows if not healthy
    ]
    metadata: dict[str, Any] = {}
    for publisher, healthy, _, impressions, dropped in rows:
        metadata[f"held_back_impressions/{publisher}"] = dg.MetadataValue.int(
            0 if healthy else impressions
        )
        metadata[f"duplicates_dropped/{publisher}"] = dg.MetadataValue.int(dropped)
    metadata["held_back"] = dg.MetadataValue.json([p for p, _, _ in held])
    dropped = sum(row[4] for row in rows)
    return dg.AssetCheckResult(
        passed=not held,
        severity=dg.AssetCheckSeverity.ERROR,
        description="; ".join(
            f"{p}: held back from the unified model ({n:,} impressions): {problem}"
            for p, problem, n in held
        )
        or f"every publisher's staging is sound ({dropped:,} repeated events kept once)",
        metadata=metadata,
    )


@dg.asset_check(
    asset=UNIFIED_KEY,
    name="publishers_healthy",
    blocking=False,
    pool=WAREHOUSE_POOL,
    automation_condition=check_automation_condition(),
    description=(
        "Every publisher's staging is sound (each impression has a key, a user and a time; no "
        "key repeats). A publisher that is not is held back from the unified model and named "
        "here; the others still reach the marts. Not blocking, so it stops no one else."
    ),
)
def publishers_healthy(
    context: dg.AssetCheckExecutionContext, layout: LayoutResource
) -> dg.AssetCheckResult:
    with run_warehouse(context, layout.layout) as con:
        return evaluate_health(publisher_health(con))


@dg.asset_check(
    asset=UNIFIED_KEY,
    name="freshness",
    blocking=True,
    pool=WAREHOUSE_POOL,
    automation_condition=check_automation_condition(),
    description=(
        "Each publisher's newest impression_time is at most $NEWSREC_FRESHNESS_BUDGET_HOURS "
        "(default 48) before its as-of time: $NEWSREC_FRESHNESS_AS_OF when set, else the end of "
        "generated sample data, else the last event of the historical releases it landed (from "
        "the release catalogue), else now."
    ),
)
def freshness(
    context: dg.AssetCheckExecutionContext, layout: LayoutResource
) -> dg.AssetCheckResult:
    budget = freshness_budget()
    with run_warehouse(context, layout.layout) as con:
        rows = con.execute(
            f"select publisher, list(distinct dataset), max(impression_time)::timestamp "
            f"from {relation_name(UNIFIED_MODEL)} "
            f"where impression_time is not null group by publisher"
        ).fetchall()
    newest = {publisher: latest for publisher, _, latest in rows}
    as_of = {
        publisher: freshness_as_of(layout.layout, publisher, datasets)
        for publisher, datasets, _ in rows
    }
    return evaluate_freshness(newest, as_of, budget)


def _hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600
