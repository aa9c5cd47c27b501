"""The four editorial charts as Vega-Lite specs (Vega-Altair), each with the sentence that says
how to read it, or the reason it cannot be drawn for this publisher."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import altair as alt

from report.publishers import display_name
from report.warehouse import Coverage, PublisherData, Row

WIDTH = 420
LABEL_WIDTH = 300
CLICKS_COLOUR = "#1f5f99"
SHOWN_COLOUR = "#b9c6d6"
DECAY_HOURS_MIN, DECAY_HOURS_MAX = 24, 336
# each chart's name (its PNG is `<publisher>-<name>.png`) and how the index refers to it
SECTION_LABELS = {
    "top-articles": "top articles",
    "trending": "trending",
    "content-decay": "decay curve",
    "category-mix": "category mix",
}
SECTION_NAMES = tuple(SECTION_LABELS)


@dataclass(frozen=True)
class Section:
    """One chart of a page: `spec` (Vega-Lite) is None when the publisher has no data for it, and
    `message` then says why; `hint` is how to use the chart on the page (not in a PNG)."""

    name: str
    title: str
    caption: str
    spec: dict[str, Any] | None = None
    message: str | None = None
    hint: str = "Hover a mark for its numbers."


def sections(data: PublisherData) -> list[Section]:
    categories = sorted({row["category"] for row in data.top_articles + data.trending})
    return [
        top_articles(data.top_articles, categories),
        trending(data.trending, data.coverage, categories),
        content_decay(data.decay, data.coverage),
        category_mix(data.category_mix),
    ]


def _finish(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The page's look, shared by every chart; the spec carries its own data."""
    return (
        chart.configure(font="Liberation Sans, DejaVu Sans, Arial, sans-serif")
        .configure_axis(labelFontSize=12, titleFontSize=12, titleFontWeight="normal", grid=False)
        .configure_axisX(grid=True, gridColor="#eceff3")
        .configure_legend(labelFontSize=12, titleFontSize=12, orient="bottom", columns=4)
        .configure_view(stroke=None)
        .to_dict()
    )


def _category_colour(categories: list[str]) -> alt.Color:
    return alt.Color(
        "category:N",
        title="Category",
        scale=alt.Scale(domain=categories, scheme="tableau20"),
    )


def _article_axis() -> alt.Axis:
    return alt.Axis(title=None, labelLimit=LABEL_WIDTH, labelPadding=10, ticks=False)


def _count_axis() -> alt.Axis:
    """Whole numbers only: with a handful of clicks, Vega would otherwise tick every half."""
    fraction = "datum.value % 1 !== 0"
    return alt.Axis(
        tickMinStep=1,
        labelExpr=f"{fraction} ? '' : format(datum.value, ',')",
        gridOpacity={"condition": {"test": fraction, "value": 0}, "value": 1},
        tickOpacity={"condition": {"test": fraction, "value": 0}, "value": 1},
    )


def top_articles(rows: list[Row], categories: list[str]) -> Section:
    title = "Top articles of the day"
    if not rows:
        return Section(
            "top-articles",
            title,
            "",
            message="No clicks are recorded for this publisher, so there is no top ten.",
        )
    days = sorted({row["day"] for row in rows}, reverse=True)
    values = [{**row, "label": f"{row['rank']}. {row['title']}"} for row in rows]
    day = alt.param(
        name="day",
        value=days[0],
        bind=alt.binding_select(options=days, name="Day (UTC) "),
    )
    base = (
        alt.Chart(alt.Data(values=values))
        .transform_filter(alt.datum.day == day)
        .encode(
            y=alt.Y("label:N", sort=alt.EncodingSortField("rank", op="min"), axis=_article_axis()),
            x=alt.X("clicks:Q", title="Clicks that day", axis=_count_axis()),
        )
    )
    bars = base.mark_bar(height={"band": 0.75}).encode(
        color=_category_colour(categories),
        tooltip=[
            alt.Tooltip("title:N", title="Article"),
            alt.Tooltip("category:N", title="Category"),
            alt.Tooltip("clicks:Q", title="Clicks", format=","),
            alt.Tooltip("impressions:Q", title="Times shown", format=","),
            alt.Tooltip("ctr:Q", title="Click-through rate", format=".1%"),
        ],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=11, color="#333").encode(
        text=alt.Text("clicks:Q", format=",")
    )
    chart = (bars + labels).add_params(day).properties(width=WIDTH, height=alt.Step(26))
    return Section(
        "top-articles",
        title,
        f"The ten most-clicked articles of one day, most clicks first: the latest day "
        f"({days[0]}) is shown.",
        spec=_finish(chart),
        hint="Choose another day in the Day menu; hover a bar for its click-through rate.",
    )


def trending(rows: list[Row], coverage: Coverage, categories: list[str]) -> Section:
    title = "Trending now"
    if not rows:
        message = (
            f"No article had more clicks in the 24 hours up to the latest impression "
            f"({coverage.last_impression:%Y-%m-%d %H:%M} UTC) than in the 24 hours before."
        )
        if coverage.last_labeled is None or coverage.last_labeled < coverage.last_impression:
            message += (
                " Impressions after the last labelled one carry no click labels "
                "(a test split), so no rise can be seen there."
            )
        return Section("trending", title, "", message=message)
    windows = [
        ("clicks in the 24 hours before", "clicks_previous_24h"),
        ("clicks in the last 24 hours", "clicks_last_24h"),
    ]
    wide = [{**row, "label": f"{row['rank']}. {row['title']}"} for row in rows]
    long = [
        {
            "label": row["label"],
            "rank": row["rank"],
            "title": row["title"],
            "window": window,
            "clicks": row[field],
        }
        for row in wide
        for window, field in windows
    ]
    y = alt.Y("label:N", sort=alt.EncodingSortField("rank", op="min"), axis=_article_axis())
    rise = (
        alt.Chart(alt.Data(values=wide))
        .mark_rule(strokeWidth=3, color="#9fb3c8")
        .encode(
            y=y,
            x=alt.X("clicks_previous_24h:Q", title="Clicks", axis=_count_axis()),
            x2="clicks_last_24h:Q",
            tooltip=[
                alt.Tooltip("title:N", title="Article"),
                alt.Tooltip("category:N", title="Category"),
                alt.Tooltip("clicks_previous_24h:Q", title="Clicks, 24 h before", format=","),
                alt.Tooltip("clicks_last_24h:Q", title="Clicks, last 24 h", format=","),
                alt.Tooltip("click_rise:Q", title="Rise", format="+,"),
            ],
        )
    )
    dots = (
        alt.Chart(alt.Data(values=long))
        .mark_circle(size=90, opacity=1)
        .encode(
            y=y,
            x="clicks:Q",
            tooltip=[
                alt.Tooltip("title:N", title="Article"),
                alt.Tooltip("window:N", title="Window"),
                alt.Tooltip("clicks:Q", title="Clicks", format=","),
            ],
            color=alt.Color(
                "window:N",
                title=None,
                scale=alt.Scale(
                    domain=[window for window, _ in windows], range=[SHOWN_COLOUR, CLICKS_COLOUR]
                ),
            ),
        )
    )
    chart = (rise + dots).properties(width=WIDTH, height=alt.Step(24))
    return Section(
        "trending",
        title,
        f"Articles whose clicks rose most in the last 24 hours (to {rows[0]['as_of']} UTC): "
        f"each line runs from the 24 hours before (light dot) to the last 24 hours (dark dot).",
        spec=_finish(chart),
    )


def _first_hour_reaching(rows: list[Row], share: float) -> int:
    return next(
        (row["hours"] for row in rows if row["cumulative_share"] >= share - 1e-9),
        rows[-1]["hours"],
    )


def _bin_hours(hours: int) -> int:
    """Bars of 1, 3, 6 or 24 hours: about a hundred bars or fewer, whatever the span."""
    return next((width for width, span in ((1, 72), (3, 168), (6, 336)) if hours <= span), 24)


def content_decay(rows: list[Row], coverage: Coverage) -> Section:
    title = "How fast articles fade"
    if not rows:
        if coverage.dated_articles == 0:
            reason = (
                f"{display_name(coverage.publisher)} does not record when its articles were "
                f"published, so there is no decay curve."
            )
        else:
            reason = "No labelled impression of a dated article, so there is no decay curve."
        return Section("content-decay", title, "", message=reason)
    half = _first_hour_reaching(rows, 0.5) + 1
    shown_to = max(min(_first_hour_reaching(rows, 0.95) + 1, DECAY_HOURS_MAX), DECAY_HOURS_MIN)
    shown_to = max(shown_to, half)
    width = _bin_hours(shown_to)
    shown_to = -(-shown_to // width) * width
    shown = [row for row in rows if row["hours"] < shown_to]
    shown_share = shown[-1]["cumulative_share"]
    per = "hour" if width == 1 else f"{width} hours"
    bars = (
        alt.Chart(alt.Data(values=shown))
        .mark_bar(color=CLICKS_COLOUR, stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X(
                "hours:Q",
                bin=alt.Bin(step=width, extent=[0, shown_to]),
                title="Hours since publication",
                scale=alt.Scale(domain=[0, shown_to], nice=False),
                axis=alt.Axis(labelFlush=False),
            ),
            y=alt.Y(
                "sum(share_of_clicks):Q",
                title=f"Share of all clicks per {per}",
                axis=alt.Axis(format="%"),
            ),
            tooltip=[
                alt.Tooltip("hours:Q", bin=alt.Bin(step=width), title="Hours since publication"),
                alt.Tooltip("sum(clicks):Q", title="Clicks", format=","),
                alt.Tooltip("sum(share_of_clicks):Q", title="Share of clicks", format=".1%"),
            ],
        )
    )
    marker = alt.Chart(alt.Data(values=[{"hours": half}]))
    half_rule = marker.mark_rule(color="#c0392b", strokeDash=[4, 3]).encode(x="hours:Q")
    right_half = half > shown_to / 2
    half_label = marker.mark_text(
        align="right" if right_half else "left",
        dx=-5 if right_half else 5,
        baseline="top",
        y=4,
        color="#c0392b",
        fontSize=12,
    ).encode(x="hours:Q", text=alt.value(f"half of all clicks within {half} h"))
    chart = (bars + half_rule + half_label).properties(width=WIDTH + LABEL_WIDTH - 60, height=220)
    return Section(
        "content-decay",
        title,
        f"Each bar is the share of all clicks that came that long after publication, one bar per "
        f"{per}: half arrive within {half} hours; the {shown_to} hours shown hold "
        f"{shown_share:.0%}.",
        spec=_finish(chart),
    )


def category_mix(rows: list[Row]) -> Section:
    title = "What readers click against what they are shown"
    if not rows:
        return Section(
            "category-mix",
            title,
            "",
            message="No clicks are recorded for this publisher, so there is no category mix.",
        )
    measures = [
        ("share of impressions", "share_of_impressions"),
        ("share of clicks", "share_of_clicks"),
    ]
    values = [
        {
            "category": row["category"],
            "measure": measure,
            "share": row[field] or 0.0,
            "clicks": row["clicks"],
            "impressions": row["impressions"],
        }
        for row in rows
        for measure, field in measures
    ]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            y=alt.Y(
                "category:N",
                sort=[row["category"] for row in rows],
                axis=alt.Axis(title=None, labelLimit=LABEL_WIDTH, ticks=False),
            ),
            yOffset=alt.YOffset("measure:N", sort=[measure for measure, _ in measures]),
            x=alt.X("share:Q", title="Share of the publisher's total", axis=alt.Axis(format="%")),
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(
                    domain=[measure for measure, _ in measures], range=[SHOWN_COLOUR, CLICKS_COLOUR]
                ),
            ),
            tooltip=[
                alt.Tooltip("category:N", title="Category"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
                alt.Tooltip("clicks:Q", title="Clicks", format=","),
                alt.Tooltip("impressions:Q", title="Times shown", format=","),
            ],
        )
        .properties(width=WIDTH, height=alt.Step(13))
    )
    return Section(
        "category-mix",
        title,
        "For each category, its share of all clicks (dark) against its share of all articles "
        "shown (light): a dark bar longer than the light one means readers pick it more often "
        "than it is offered.",
        spec=_finish(chart),
    )
