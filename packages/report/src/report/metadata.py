"""The report as Markdown with each chart's PNG inlined (base64): Dagster shows Markdown metadata
on an asset's page, and it has no image type of its own."""

from __future__ import annotations

import base64

from report.page import period
from report.render import Report


def report_metadata_markdown(report: Report, publisher: str | None = None) -> str:
    """Every publisher's charts, or only `publisher`'s: the PNGs make about 0.4 MB of Markdown per
    publisher, whatever the size of the data, so an asset may prefer one entry per publisher."""
    chosen = [p for p in report.publishers if publisher in (None, p.publisher)]
    if not chosen:
        raise ValueError(f"the report has no page for {publisher!r}")
    lines = []
    for publisher_report in chosen:
        coverage = publisher_report.coverage
        lines += [
            f"## {publisher_report.name}",
            "",
            f"{period(coverage)} · {coverage.impressions:,} impressions · "
            f"{coverage.clicks:,} clicks · page `{publisher_report.html.name}`",
            "",
        ]
        for chart in publisher_report.charts:
            lines += [f"### {chart.title}", ""]
            if chart.png is None:
                lines += [f"_{chart.message}_", ""]
                continue
            encoded = base64.b64encode(chart.png.read_bytes()).decode("ascii")
            lines += [chart.caption, "", f"![{chart.title}](data:image/png;base64,{encoded})", ""]
    return "\n".join(lines).rstrip() + "\n"
