"""`editorial_report`: the report package's HTML pages and charts, rendered after the editorial
models, with every chart on the asset's page in the UI.

The report opens the warehouse read-only; it still runs in the warehouse pool, so it never tries
to open the file while a dbt step writes it."""

from typing import Any

import dagster as dg

from orchestration.defs.resources import LayoutResource
from orchestration.warehouse import WAREHOUSE_POOL

REPORT_KEY = dg.AssetKey("editorial_report")
EDITORIAL_MODELS = (
    "editorial_top_articles_daily",
    "editorial_trending_articles",
    "editorial_content_decay",
    "editorial_category_mix",
)


@dg.asset(
    key=REPORT_KEY,
    group_name="editorial",
    deps=[dg.AssetKey(model) for model in EDITORIAL_MODELS],
    kinds={"html", "altair"},
    pool=WAREHOUSE_POOL,
    automation_condition=dg.AutomationCondition.eager(),
    description=(
        "The editorial report: one self-contained HTML page of charts per publisher (top "
        "articles of the day, trending articles, content decay, category mix), an index, and a "
        "PNG of every chart, in `$NEWSREC_DATA_DIR/reports/`. The charts are in the metadata."
    ),
)
def editorial_report(
    context: dg.AssetExecutionContext, layout: LayoutResource
) -> dg.MaterializeResult:
    # imported here: Altair and vl-convert would slow every process that loads the code location
    from report import ReportError, render_report, report_metadata_markdown

    paths = layout.layout
    try:
        report = render_report(paths.warehouse, paths.reports)
    except ReportError as error:
        raise dg.Failure(description=str(error)) from error
    metadata: dict[str, Any] = {
        "index": dg.MetadataValue.path(str(report.index)),
        "pages": dg.MetadataValue.json([str(p.html) for p in report.publishers]),
        "files": dg.MetadataValue.int(len(report.files)),
        "render_s": dg.MetadataValue.float(round(report.seconds, 2)),
    }
    for page in report.publishers:
        drawn = sum(chart.png is not None for chart in page.charts)
        context.log.info(f"{page.name}: {drawn} of {len(page.charts)} charts, {page.html}")
        metadata[f"charts/{page.publisher}"] = dg.MetadataValue.md(
            report_metadata_markdown(report, page.publisher)
        )
    return dg.MaterializeResult(metadata=metadata)
