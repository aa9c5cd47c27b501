"""The report as Markdown with each chart's PNG inlined (base64): Dagster shows Markdown metadata
on an asset's page, and it has no image type of its own."""

from __future__ import annotations

import base64

from report.page import period
from report.render import Report


def report_metadata_markdown(report: Report) -> str:
    lines = []
    for publisher in report.publishers:
        coverage = publisher.coverage
        lines += [
            f"## {publisher.name}",
            "",
            f"{period(coverage)} · {coverage.impressions:,} impressions · "
            f"{coverage.clicks:,} clicks · page `{publisher.html.name}`",
            "",
        ]
        for chart in publisher.charts:
            lines += [f"### {chart.title}", ""]
            if chart.png is None:
                lines += [f"_{chart.message}_", ""]
                continue
            encoded = base64.b64encode(chart.png.read_bytes()).decode("ascii")
            lines += [chart.caption, "", f"![{chart.title}](data:image/png;base64,{encoded})", ""]
    return "\n".join(lines).rstrip() + "\n"
