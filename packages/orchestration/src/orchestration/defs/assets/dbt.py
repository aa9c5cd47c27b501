"""The dbt models as assets, in two ops split at `stg_unified_impressions`.

`@dbt_assets` is one op; the blocking checks on the unified model can only gate the marts and
editorial models if those run in a second op after the checks.
"""

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.dbt_project import dbt_project, manifest
from orchestration.defs.resources import LayoutResource
from orchestration.translator import UNIFIED_MODEL, NewsrecDbtTranslator
from orchestration.warehouse import WAREHOUSE_POOL, read_only

UP_TO_UNIFIED = f"+{UNIFIED_MODEL}"


def build(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Path) -> Iterator[Any]:
    """`dbt build` of the selected models and their tests, with row counts as metadata.

    The events are held until dbt exits: DuckDB lets no one else open the warehouse while dbt
    writes to it. Counting through a read-only connection keeps no writer open in this process
    (dagster-dbt's `fetch_row_counts` would), so checks in the same process can still read."""
    events: list[Any] = []
    failure: Exception | None = None
    try:
        events.extend(dbt.cli(["build"], context=context).stream())
    except Exception as error:  # record what was built before the failure, then re-raise
        failure = error
    yield from with_row_counts(events, warehouse)
    if failure is not None:
        raise failure


def with_row_counts(events: list[Any], warehouse: Path) -> Iterator[Any]:
    """Attach `dagster/row_count` to each built table (views are not counted: that would
    run their query)."""
    nodes = manifest()["nodes"]
    tables = {
        i: e
        for i, e in enumerate(events)
        if isinstance(e, dg.Output)
        and nodes[e.metadata["unique_id"].value]["config"]["materialized"] != "view"
    }
    counts: dict[int, int] = {}
    if tables:
        with read_only(warehouse) as con:
            for i, event in tables.items():
                relation = nodes[event.metadata["unique_id"].value]["relation_name"]
                counts[i] = con.execute(f"select count(*) from {relation}").fetchone()[0]
    for i, event in enumerate(events):
        if i in counts:
            event = event.with_metadata(
                {**event.metadata, "dagster/row_count": dg.MetadataValue.int(counts[i])}
            )
        yield event


def dbt_op(name: str, **selection: str) -> dg.AssetsDefinition:
    """One `dbt build` op over the models `selection` (dbt's `select` / `exclude`) picks."""

    @dbt_assets(
        manifest=manifest(),
        project=dbt_project(),
        name=name,
        dagster_dbt_translator=NewsrecDbtTranslator(),
        pool=WAREHOUSE_POOL,
        **selection,
    )
    def _assets(
        context: dg.AssetExecutionContext, dbt: DbtCliResource, layout: LayoutResource
    ) -> Iterator[Any]:
        yield from build(context, dbt, layout.layout.warehouse)

    return _assets


@cache
def staging_assets() -> dg.AssetsDefinition:
    """Publisher staging up to and including the unified impressions."""
    return dbt_op("dbt_up_to_unified", select=UP_TO_UNIFIED)


@cache
def downstream_assets() -> dg.AssetsDefinition:
    """Everything else: the other staging models, marts and editorial models."""
    return dbt_op("dbt_after_unified", exclude=UP_TO_UNIFIED)


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[staging_assets(), downstream_assets()])
