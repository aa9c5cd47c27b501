"""Reading a written report back: the chart specs inside a page and the warehouse's own counts,
so that tests compare the page against the models, not against the report's code."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import duckdb

SECTIONS = ("top-articles", "trending", "content-decay", "category-mix")


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.specs: dict[str, dict[str, Any]] = {}
        self.external: list[str] = []
        self.no_chart: list[str] = []
        self.chart_holders: list[str] = []
        self.links: list[str] = []
        self._spec_name: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("src", "href"):
            value = found.get(name) or ""
            if value.startswith(("http://", "https://", "//")) and tag != "a":
                self.external.append(f"<{tag} {name}={value}>")
        if tag == "a" and found.get("href"):
            self.links.append(found["href"])
        if tag == "script" and found.get("data-spec"):
            self._spec_name = found["data-spec"]
        if found.get("data-no-chart"):
            self.no_chart.append(found["data-no-chart"])
        if found.get("data-chart"):
            self.chart_holders.append(found["data-chart"])

    def handle_data(self, data: str) -> None:
        if self._spec_name:
            self.specs[self._spec_name] = json.loads(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._spec_name = None


def parse_page(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def spec_rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every inline data row of a (possibly layered) Vega-Lite spec."""
    rows = [row for values in spec.get("datasets", {}).values() for row in values]
    for part in [spec, *spec.get("layer", [])]:
        rows += part.get("data", {}).get("values", [])
    return rows


def model_rows(warehouse: Path) -> dict[tuple[str, str], int]:
    """Per (publisher, section): how many rows the editorial model behind it holds."""
    queries = {
        "top-articles": "select publisher, count(*) from editorial.editorial_top_articles_daily",
        "trending": "select publisher, count(*) from editorial.editorial_trending_articles",
        "content-decay": "select publisher, count(*) from editorial.editorial_content_decay",
        "category-mix": (
            "select publisher, count(*) from editorial.editorial_category_mix where clicks > 0"
        ),
    }
    counts = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for section, sql in queries.items():
            for publisher, rows in con.execute(f"{sql} group by publisher").fetchall():
                counts[(publisher, section)] = rows
    return counts


def publishers_with_impressions(warehouse: Path) -> set[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        sql = "select distinct publisher from staging.stg_unified_impressions"
        return {publisher for (publisher,) in con.execute(sql).fetchall()}
