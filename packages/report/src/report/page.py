"""The HTML of the pages: jinja2 templates, the charting script inlined once per page so that it
opens offline, and each chart's Vega-Lite spec as JSON inside the page."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import jinja2

from report import vega
from report.charts import SECTION_LABELS, Section
from report.publishers import display_name, notes
from report.warehouse import Coverage

_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("report", "templates"),
    autoescape=jinja2.select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _spec_json(spec: dict[str, Any]) -> str:
    """JSON safe inside a <script> element: no `<`, `>` or `&` can end it or start a comment."""
    text = json.dumps(spec, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_TEMPLATES.filters["spec_json"] = _spec_json


def period(coverage: Coverage) -> str:
    return (
        f"{coverage.first_impression:%Y-%m-%d %H:%M} to {coverage.last_impression:%Y-%m-%d %H:%M}"
        f" UTC ({coverage.days} days)"
    )


def publisher_page(
    coverage: Coverage,
    sections: list[Section],
    publishers: list[str],
    generated_at: datetime,
    warehouse_name: str,
) -> str:
    figures = [
        (f"{coverage.impressions:,}", "impressions (article lists shown)"),
        (f"{coverage.candidates:,}", "articles shown in them"),
        (f"{coverage.clicks:,}", "clicks"),
        (f"{coverage.articles:,}", "articles in the catalogue"),
    ]
    nav = [
        {"href": f"{p}.html", "name": display_name(p), "current": p == coverage.publisher}
        for p in publishers
    ]
    return _TEMPLATES.get_template("publisher.html").render(
        name=display_name(coverage.publisher),
        nav=nav,
        period=period(coverage),
        datasets=coverage.datasets,
        figures=figures,
        notes=notes(coverage),
        sections=sections,
        vega_runtime=vega.runtime_script(),
        generated_at=f"{generated_at:%Y-%m-%d %H:%M}",
        warehouse_name=warehouse_name,
    )


def index_page(
    pages: list[tuple[Coverage, list[Section]]],
    absent: list[str],
    generated_at: datetime,
    warehouse_name: str,
) -> str:
    rows = []
    for coverage, sections in pages:
        missing = [SECTION_LABELS[section.name] for section in sections if section.spec is None]
        drawn = f"{len(sections) - len(missing)} of {len(sections)}"
        rows.append(
            {
                "href": f"{coverage.publisher}.html",
                "name": display_name(coverage.publisher),
                "period": period(coverage),
                "impressions": f"{coverage.impressions:,}",
                "clicks": f"{coverage.clicks:,}",
                "charts": f"{drawn} (no {' or '.join(missing)})" if missing else drawn,
            }
        )
    return _TEMPLATES.get_template("index.html").render(
        pages=rows,
        absent=[display_name(p) for p in absent],
        generated_at=f"{generated_at:%Y-%m-%d %H:%M}",
        warehouse_name=warehouse_name,
    )
