"""`research_exports`: every evaluation split in MIND's format and as Parquet, written by the
research package after its models, with what was written in the asset's metadata.

The export opens the warehouse read-only; it still runs in the warehouse pool, so it never tries
to open the file while a dbt step writes it."""

from typing import Any

import dagster as dg

from orchestration.defs.resources import LayoutResource
from orchestration.warehouse import WAREHOUSE_POOL

EXPORTS_KEY = dg.AssetKey("research_exports")
EXPORTED_MODELS = (
    "benchmark_splits",
    "benchmark_impressions",
    "benchmark_histories",
    "benchmark_news",
    "stg_unified_articles",
)
FORMATS = ("mind", "parquet")


@dg.asset(
    key=EXPORTS_KEY,
    group_name="research",
    deps=[dg.AssetKey(model) for model in EXPORTED_MODELS],
    kinds={"parquet"},
    pool=WAREHOUSE_POOL,
    automation_condition=dg.AutomationCondition.eager(),
    description=(
        "Every evaluation split of every publisher in MIND's format (`mind/<name>.zip`, holding "
        "behaviors.tsv and news.tsv as MIND ships them) and as Parquet in the unified schema "
        "(`parquet/<publisher>/<split>/`), in `$NEWSREC_DATA_DIR/exports/`: what "
        "`newsrec-export` writes."
    ),
)
def research_exports(
    context: dg.AssetExecutionContext, layout: LayoutResource
) -> dg.MaterializeResult:
    # imported here: pyarrow's compute and numpy would slow every process that loads the code
    # location
    from research import ExportError, WarehouseError, export

    paths = layout.layout
    lines = ["| format | file | rows |", "|---|---|--:|"]
    files = 0
    try:
        for fmt in FORMATS:
            for written in export(paths.warehouse, paths.exports, fmt=fmt):
                relative = written.path.relative_to(paths.exports)
                context.log.info(f"{relative}: {written.rows:,} rows")
                lines.append(f"| {fmt} | `{relative}` | {written.rows:,} |")
                files += 1
    except (ExportError, WarehouseError) as error:
        raise dg.Failure(description=str(error)) from error
    metadata: dict[str, Any] = {
        "folder": dg.MetadataValue.path(str(paths.exports)),
        "files": dg.MetadataValue.int(files),
        "written": dg.MetadataValue.md("\n".join(lines) + "\n"),
    }
    return dg.MaterializeResult(metadata=metadata)
