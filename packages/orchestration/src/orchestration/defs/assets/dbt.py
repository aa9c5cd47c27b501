"""The dbt models as assets, in two ops split at `stg_unified_impressions`.

`@dbt_assets` is one op; the blocking checks on the unified model can only gate the marts and
editorial models if those run in a second op after the checks.
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource, dbt_assets
from transform import write_spark_lake

from orchestration.dbt_project import dbt_project, engine, manifest
from orchestration.defs.resources import LayoutResource
from orchestration.translator import UNIFIED_MODEL, NewsrecDbtTranslator
from orchestration.warehouse import WAREHOUSE_POOL, WarehouseBuild, read_only, spark_tables

UP_TO_UNIFIED = f"+{UNIFIED_MODEL}"
FULL_REFRESH_TAG = "newsrec/full_refresh"
"""A run tagged with it (`"true"`: the daily schedule, `make demo`) rebuilds every publisher of
every table; other runs rebuild only the publishers whose inputs changed
(macros/incremental.sql)."""
LEADERBOARD_MODEL = "benchmark_leaderboard"
"""Its materialisation carries the whole leaderboard as a Markdown table."""


def build(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, layout: LayoutResource
) -> Iterator[Any]:
    """`dbt build` of the selected models and their tests into the run's copy of the warehouse,
    published when no later dbt step of the run is to follow; row counts and column schemas as
    metadata.

    The events are held until dbt exits and the build is published: the counts are read from
    what readers will see, through a read-only connection."""
    if engine() == "spark":
        yield from build_on_spark(context, dbt, layout)
        return
    run = WarehouseBuild(layout.layout, context.run.run_id)
    events: list[Any] = []
    failure: Exception | None = None
    with run.writing(lambda run_id: _in_progress(context.instance, run_id), context.log):
        try:
            events.extend(dbt.cli(dbt_build_args(context), context=context).stream())
        except Exception as error:  # what was built is published, then the failure re-raised
            failure = error
        if _last_dbt_step(context):
            context.log.info(f"publishing the build as {run.publish()}")
    yield from with_table_metadata(events, run.current)
    if failure is not None:
        raise failure


def dbt_build_args(context: dg.AssetExecutionContext) -> list[str]:
    """`build`, with `--full-refresh` when the run asks for one."""
    full = context.run.tags.get(FULL_REFRESH_TAG) == "true"
    return ["build", "--full-refresh"] if full else ["build"]


def build_on_spark(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, layout: LayoutResource
) -> Iterator[Any]:
    """`dbt build --target spark`: first the lake's visible files for Spark
    (`transform.write_spark_lake`), then dbt in session mode. Spark writes its warehouse in place
    (no private copy to publish); the metadata is read from the Parquet of its tables."""
    write_spark_lake(layout.layout)
    events: list[Any] = []
    failure: Exception | None = None
    try:
        events.extend(dbt.cli(["build"], context=context).stream())
    except Exception as error:  # what was built is described, then the failure re-raised
        failure = error
    yield from with_table_metadata(events, layout.layout.spark, spark_tables)
    if failure is not None:
        raise failure


def _last_dbt_step(context: dg.AssetExecutionContext) -> bool:
    """The second op always is; the first unless the run's job also holds the second. The job,
    not the run's asset selection: a job subset before it runs records an empty selection."""
    later = downstream_assets().op.name
    return context.op_execution_context.op.name == later or not context.job_def.has_node_named(
        later
    )


def _in_progress(instance: dg.DagsterInstance, run_id: str) -> bool:
    run = instance.get_run_by_id(run_id)
    return run is not None and not run.is_finished


def with_table_metadata(
    events: list[Any],
    warehouse: Path,
    reader: Callable[[Path], AbstractContextManager[duckdb.DuckDBPyConnection]] = read_only,
) -> Iterator[Any]:
    """Attach `dagster/column_schema` (the columns as built, with their dbt descriptions) to
    each built model, `dagster/row_count` to each table (views are not counted: that would
    run their query), and the leaderboard itself to `benchmark_leaderboard`. `reader` opens
    `warehouse`: the DuckDB file, or Spark's folder (`spark_tables`)."""
    nodes = manifest()["nodes"]
    built = {
        i: nodes[e.metadata["unique_id"].value]
        for i, e in enumerate(events)
        if isinstance(e, dg.Output)
    }
    metadata: dict[int, dict[str, Any]] = {}
    if built:
        with reader(warehouse) as con:
            metadata = {i: _table_metadata(con, node) for i, node in built.items()}
    for i, event in enumerate(events):
        if i in metadata:
            event = event.with_metadata({**event.metadata, **metadata[i]})
        yield event


def _table_metadata(con: duckdb.DuckDBPyConnection, node: dict[str, Any]) -> dict[str, Any]:
    columns = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = coalesce(?, table_catalog) and table_schema = ? "
        "and table_name = ? order by ordinal_position",
        [node["database"], node["schema"], node["alias"] or node["name"]],
    ).fetchall()
    described = {name.lower(): c.get("description") or None for name, c in node["columns"].items()}
    schema = dg.TableSchema(
        columns=[
            dg.TableColumn(name, data_type, description=described.get(name.lower()))
            for name, data_type in columns
        ]
    )
    metadata: dict[str, Any] = {"dagster/column_schema": dg.MetadataValue.table_schema(schema)}
    if node["config"]["materialized"] != "view":
        rows = con.execute(f"select count(*) from {node['relation_name']}").fetchone()[0]
        metadata["dagster/row_count"] = dg.MetadataValue.int(rows)
    if node["name"] == LEADERBOARD_MODEL:
        # imported here: the research package's numpy and pyarrow would slow every process that
        # loads the code location
        from research import leaderboard_markdown

        metadata["leaderboard"] = dg.MetadataValue.md(leaderboard_markdown(con))
    return metadata


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
        yield from build(context, dbt, layout)

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
