"""The files a report writes, checked against the warehouse it was rendered from."""

from __future__ import annotations

import base64
import hashlib
import struct
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from pages import SECTIONS, model_rows, parse_page, publishers_with_impressions, spec_rows
from report import Report, ReportError, render_report, report_metadata_markdown

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, f"{path.name} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_one_page_per_publisher_with_data_and_a_png_per_drawn_chart(
    report: Report, warehouse: Path
) -> None:
    counts = model_rows(warehouse)
    assert {p.publisher for p in report.publishers} == publishers_with_impressions(warehouse)
    assert report.index == report.out_dir / "index.html"
    for publisher in report.publishers:
        assert publisher.html == report.out_dir / f"{publisher.publisher}.html"
        assert [chart.name for chart in publisher.charts] == list(SECTIONS)
        for chart in publisher.charts:
            has_rows = counts.get((publisher.publisher, chart.name), 0) > 0
            assert (chart.png is not None) == has_rows, (publisher.publisher, chart.name)
            if chart.png:
                width, height = png_size(chart.png)
                assert width > 200 and height > 100, chart.png.name
    assert sorted(report.files) == sorted(report.out_dir.iterdir())


def test_every_chart_spec_carries_the_rows_of_its_model(report: Report, warehouse: Path) -> None:
    counts = model_rows(warehouse)
    for publisher in report.publishers:
        page = parse_page(publisher.html)
        drawn = [s for s in SECTIONS if counts.get((publisher.publisher, s), 0) > 0]
        assert page.chart_holders == drawn
        assert sorted(page.specs) == sorted(drawn)
        for name, spec in page.specs.items():
            assert spec_rows(spec), f"{publisher.publisher} {name}: a chart without data"
        if "top-articles" in page.specs:
            days_and_ranks = {
                (row["day"], row["rank"]) for row in spec_rows(page.specs["top-articles"])
            }
            assert len(days_and_ranks) == counts[(publisher.publisher, "top-articles")]


def test_a_chart_without_data_is_a_message_that_says_why(report: Report, warehouse: Path) -> None:
    counts = model_rows(warehouse)
    assert ("mind", "content-decay") not in counts, "MIND has no publication times"
    for publisher in report.publishers:
        page = parse_page(publisher.html)
        missing = [s for s in SECTIONS if counts.get((publisher.publisher, s), 0) == 0]
        assert page.no_chart == missing
        for chart in publisher.charts:
            assert (chart.message is None) == (chart.png is not None)
    mind = next(p for p in report.publishers if p.publisher == "mind")
    decay = next(c for c in mind.charts if c.name == "content-decay")
    assert decay.message and "does not record when its articles were published" in decay.message
    assert decay.message in mind.html.read_text(encoding="utf-8")


def test_pages_reference_no_script_style_or_image_from_the_network(report: Report) -> None:
    for path in [report.index, *(p.html for p in report.publishers)]:
        page = parse_page(path)
        assert page.external == [], path.name
        assert all(not link.startswith(("http:", "https:")) for link in page.links), path.name


def test_the_index_links_every_page_and_every_page_links_back(report: Report) -> None:
    index = parse_page(report.index)
    assert index.links == [p.html.name for p in report.publishers]
    for publisher in report.publishers:
        assert "index.html" in parse_page(publisher.html).links


def test_metadata_markdown_inlines_every_png_and_every_message(report: Report) -> None:
    markdown = report_metadata_markdown(report)
    for publisher in report.publishers:
        assert f"## {publisher.name}" in markdown
        for chart in publisher.charts:
            if chart.png:
                encoded = base64.b64encode(chart.png.read_bytes()).decode("ascii")
                assert f"![{chart.title}](data:image/png;base64,{encoded})" in markdown
            else:
                assert f"_{chart.message}_" in markdown
    mind = report_metadata_markdown(report, "mind")
    assert mind.startswith("## MIND (Microsoft News)\n") and "## EB-NeRD" not in mind
    assert mind in markdown
    with pytest.raises(ValueError, match="no page for 'nobody'"):
        report_metadata_markdown(report, "nobody")


HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "read")
print("holding", flush=True)
time.sleep(120)
"""


def hold(warehouse: Path, mode: str) -> subprocess.Popen[str]:
    """Another process with the warehouse open, as a reader or as the writer."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(warehouse), mode], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    return holder


def test_rendering_reads_beside_another_reader_and_never_writes(
    warehouse: Path, tmp_path: Path
) -> None:
    """A writer's lock would conflict with the other process's read-only connection."""
    before = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    holder = hold(warehouse, "read")
    try:
        report = render_report(warehouse, tmp_path / "reports")
    finally:
        holder.kill()
        holder.wait()
    assert report.publishers
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == before


def test_a_warehouse_held_by_a_writer_is_one_clear_error(warehouse: Path, tmp_path: Path) -> None:
    copy = tmp_path / "warehouse.duckdb"
    copy.write_bytes(warehouse.read_bytes())
    holder = hold(copy, "write")
    try:
        with pytest.raises(ReportError, match=r"read-only: process \d+ is writing it") as e:
            render_report(copy, tmp_path / "reports")
    finally:
        holder.kill()
        holder.wait()
    assert "\n" not in str(e.value)


def test_a_missing_warehouse_or_models_say_what_to_build(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match=r"no warehouse at .*: build it first \(make demo\)"):
        render_report(tmp_path / "warehouse.duckdb", tmp_path / "reports")
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(ReportError, match=r"has no stg_unified_impressions, dim_articles, "):
        render_report(empty, tmp_path / "reports")
    assert not (tmp_path / "reports").exists()


def test_a_report_removes_pages_and_charts_it_no_longer_writes_and_nothing_else(
    report: Report, tmp_path: Path, warehouse: Path
) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    written_by_the_report = {path.name for path in report.files}
    assert "mind-content-decay.png" not in written_by_the_report
    stale = out / "mind-content-decay.png"
    others = [out / "notes.txt", out / "someone.html", out / "mind-content-decay.svg"]
    for path in [stale, *others]:
        path.write_text("left from before")
    render_report(warehouse, out)
    assert not stale.exists()
    assert all(path.exists() for path in others)
    assert {path.name for path in out.iterdir()} == written_by_the_report | {p.name for p in others}
