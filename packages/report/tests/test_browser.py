"""Each page opened in a real headless Chromium: every chart drawn, nothing logged as an error or
warning, nothing fetched from the network, and the day menu redraws the top ten."""

from __future__ import annotations

from pathlib import Path

import duckdb
from browser import watched_page
from pages import SECTIONS, model_rows
from playwright.sync_api import Browser, Page
from report import Report, render_report

RENDER_TIMEOUT_MS = 20_000


def wait_for_charts(page: Page) -> list[str]:
    """Names of the charts on the page, once vega-embed has finished each of them."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.chart[data-chart]')]"
        ".every((holder) => holder.dataset.rendered)",
        timeout=RENDER_TIMEOUT_MS,
    )
    return page.eval_on_selector_all(".chart[data-chart]", "els => els.map(e => e.dataset.chart)")


def drawn_marks(page: Page, chart: str) -> int:
    """Marks Vega drew in the chart's SVG (bars, dots, rules, labels); axes are not counted."""
    return page.locator(
        f'.chart[data-chart="{chart}"] svg g.role-mark > :is(path, text, line)'
    ).count()


def y_labels(page: Page, chart: str) -> list[str]:
    labels = f'.chart[data-chart="{chart}"] svg g.role-axis-label text'
    return page.eval_on_selector_all(labels, "els => els.map(e => e.textContent)")


def test_every_chart_renders_with_no_error_and_no_request_off_the_machine(
    report: Report, warehouse: Path, browser: Browser
) -> None:
    counts = model_rows(warehouse)
    for publisher in report.publishers:
        with watched_page(browser, timezone_id="Pacific/Auckland") as watched:
            watched.page.goto(publisher.html.as_uri())
            charts = wait_for_charts(watched.page)
            expected = [s for s in SECTIONS if counts.get((publisher.publisher, s), 0) > 0]
            assert charts == expected, publisher.publisher
            for chart in charts:
                holder = watched.page.locator(f'.chart[data-chart="{chart}"]')
                where = (publisher.publisher, chart)
                assert holder.get_attribute("data-rendered") == "true", where
                box = holder.locator("svg").first.bounding_box()
                assert box and box["width"] > 100 and box["height"] > 50, where
                assert drawn_marks(watched.page, chart) > 0, where
            for section in SECTIONS:
                if section not in expected:
                    message = watched.page.locator(f'[data-no-chart="{section}"]')
                    assert message.is_visible() and message.inner_text().strip()
            assert watched.problems() == [], publisher.publisher


def test_the_index_opens_and_links_to_each_page(report: Report, browser: Browser) -> None:
    with watched_page(browser) as watched:
        watched.page.goto(report.index.as_uri())
        for publisher in report.publishers:
            watched.page.get_by_role("link", name=publisher.name).click()
            watched.page.wait_for_url(publisher.html.as_uri())
            assert watched.page.locator("h1").inner_text() == publisher.name
            wait_for_charts(watched.page)
            watched.page.go_back()
        assert watched.problems() == []


def test_the_day_menu_redraws_the_top_ten_of_that_day(
    report: Report, warehouse: Path, browser: Browser
) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        day, titles = con.execute(
            """
            select strftime(impression_date, '%Y-%m-%d'),
                list(rank || '. ' || coalesce(title, article_id) order by rank)
            from editorial.editorial_top_articles_daily
            where publisher = 'adressa'
            group by impression_date
            order by impression_date
            limit 1
            """
        ).fetchone()
    adressa = next(p for p in report.publishers if p.publisher == "adressa")
    with watched_page(browser) as watched:
        watched.page.goto(adressa.html.as_uri())
        wait_for_charts(watched.page)
        before = y_labels(watched.page, "top-articles")
        watched.page.select_option('.chart[data-chart="top-articles"] select', day)
        watched.page.wait_for_function(
            "(before) => [...document.querySelectorAll("
            "'.chart[data-chart=\"top-articles\"] svg g.role-axis-label text')]"
            ".map((t) => t.textContent).join('|') !== before",
            arg="|".join(before),
            timeout=RENDER_TIMEOUT_MS,
        )
        after = y_labels(watched.page, "top-articles")
        assert after != before
        shown = [label for label in after if not label.isdigit()]
        assert len(shown) == len(titles)
        for label, title in zip(shown, titles, strict=True):
            assert title.startswith(label.rstrip("…")), (label, title)
        assert watched.problems() == []


def test_hovering_a_bar_shows_its_numbers(report: Report, browser: Browser) -> None:
    adressa = next(p for p in report.publishers if p.publisher == "adressa")
    with watched_page(browser) as watched:
        watched.page.goto(adressa.html.as_uri())
        wait_for_charts(watched.page)
        watched.page.locator('.chart[data-chart="top-articles"] svg g.role-mark path').first.hover()
        tooltip = watched.page.locator("#vg-tooltip-element")
        tooltip.wait_for(state="visible", timeout=RENDER_TIMEOUT_MS)
        assert "Click-through rate" in tooltip.inner_text()
        assert watched.problems() == []


def test_a_title_that_closes_the_script_element_is_shown_as_text(
    warehouse: Path, tmp_path: Path, browser: Browser
) -> None:
    hostile = '</script><script>window.injected = true</script><b>&amp; "quoted"'
    copy = tmp_path / "warehouse.duckdb"
    copy.write_bytes(warehouse.read_bytes())
    with duckdb.connect(str(copy)) as con:
        con.execute(
            "update editorial.editorial_top_articles_daily set title = ? "
            "where publisher = 'ebnerd' and rank = 1",
            [hostile],
        )
    report = render_report(copy, tmp_path / "reports")
    ebnerd = next(p for p in report.publishers if p.publisher == "ebnerd")
    with watched_page(browser) as watched:
        watched.page.goto(ebnerd.html.as_uri())
        wait_for_charts(watched.page)
        assert watched.page.evaluate("() => window.injected") is None
        labels = y_labels(watched.page, "top-articles")
        assert any(label.startswith("1. </script><script>") for label in labels), labels
        assert watched.problems() == []
