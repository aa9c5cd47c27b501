"""`render_report`: the warehouse in; one HTML page per publisher, an index and each chart's PNG
out."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from report import page, vega
from report.charts import SECTION_NAMES, sections
from report.errors import ReportError
from report.publishers import NAMES, display_name, order
from report.warehouse import Coverage, coverages, open_warehouse, publisher_data


@dataclass(frozen=True)
class Chart:
    """One chart of a page; `png` is None, and `message` says why, when it had nothing to draw."""

    name: str
    title: str
    caption: str
    png: Path | None
    message: str | None


@dataclass(frozen=True)
class PublisherReport:
    publisher: str
    name: str
    html: Path
    coverage: Coverage
    charts: tuple[Chart, ...]


@dataclass(frozen=True)
class Report:
    out_dir: Path
    index: Path
    publishers: tuple[PublisherReport, ...]
    seconds: float

    @property
    def files(self) -> list[Path]:
        """Every file written: the index, each page and each chart's PNG."""
        files = [self.index]
        for publisher in self.publishers:
            files.append(publisher.html)
            files.extend(chart.png for chart in publisher.charts if chart.png)
        return files


def _write(path: Path, content: str | bytes) -> None:
    """Replace `path` in one step, so that a reader never sees half a page."""
    partial = path.with_name(f".{path.name}.partial")
    if isinstance(content, str):
        partial.write_text(content, encoding="utf-8")
    else:
        partial.write_bytes(content)
    os.replace(partial, path)


def _png_name(publisher: str, section: str) -> str:
    return f"{publisher}-{section}.png"


def render_report(warehouse: Path, out_dir: Path) -> Report:
    """Write `index.html`, `<publisher>.html` and `<publisher>-<chart>.png` into `out_dir` for
    every publisher with impressions in `warehouse`, opened read-only."""
    started = time.perf_counter()
    with open_warehouse(warehouse) as con:
        found = sorted(coverages(con), key=lambda coverage: order(coverage.publisher))
        datas = [publisher_data(con, coverage) for coverage in found]
    if not datas:
        raise ReportError(f"{warehouse} has no impressions yet: ingest some downloads first")
    generated_at = datetime.now(UTC)
    publishers = [data.coverage.publisher for data in datas]
    out_dir.mkdir(parents=True, exist_ok=True)
    written: set[Path] = set()
    pages = []
    results = []
    for data in datas:
        publisher = data.coverage.publisher
        drawn = sections(data)
        charts = []
        for section in drawn:
            png = None
            if section.spec is not None:
                png = out_dir / _png_name(publisher, section.name)
                _write(png, vega.png(section.spec))
                written.add(png)
            charts.append(Chart(section.name, section.title, section.caption, png, section.message))
        html = out_dir / f"{publisher}.html"
        _write(
            html,
            page.publisher_page(data.coverage, drawn, publishers, generated_at, warehouse.name),
        )
        written.add(html)
        pages.append((data.coverage, drawn))
        results.append(
            PublisherReport(publisher, display_name(publisher), html, data.coverage, tuple(charts))
        )
    absent = [publisher for publisher in NAMES if publisher not in publishers]
    index = out_dir / "index.html"
    _write(index, page.index_page(pages, absent, generated_at, warehouse.name))
    _remove_stale(out_dir, set(publishers) | set(NAMES), written)
    return Report(out_dir, index, tuple(results), time.perf_counter() - started)


def _remove_stale(out_dir: Path, publishers: set[str], written: set[Path]) -> None:
    """Drop pages and charts an earlier report wrote that this one did not (a publisher whose
    data is gone, a chart that now has no data); nothing else in `out_dir` is touched."""
    for publisher in publishers:
        candidates = [out_dir / f"{publisher}.html"]
        candidates += [out_dir / _png_name(publisher, name) for name in SECTION_NAMES]
        for path in candidates:
            if path not in written:
                path.unlink(missing_ok=True)
