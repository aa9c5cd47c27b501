"""What the report reads from the warehouse: one read-only connection, a few small queries.

Read-only so that rendering never takes DuckDB's writer lock: a report can run beside other
readers, and it never changes the file it describes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
from ingestion import register_lake

from report.errors import ReportError

# (schema, model): what the queries below read
REQUIRED_MODELS: tuple[tuple[str, str], ...] = (
    ("staging", "stg_unified_impressions"),
    ("marts", "dim_articles"),
    ("editorial", "editorial_top_articles_daily"),
    ("editorial", "editorial_trending_articles"),
    ("editorial", "editorial_content_decay"),
    ("editorial", "editorial_category_mix"),
)

Row = dict[str, Any]


@dataclass(frozen=True)
class Coverage:
    """What one publisher's data spans, for the top of its page and the index."""

    publisher: str
    first_impression: datetime
    last_impression: datetime
    last_labeled: datetime | None
    impressions: int
    candidates: int
    clicks: int
    articles: int
    dated_articles: int
    datasets: tuple[str, ...]

    @property
    def days(self) -> int:
        return (self.last_impression.date() - self.first_impression.date()).days + 1


@dataclass(frozen=True)
class PublisherData:
    """Everything one publisher's page draws, as plain rows ready for a Vega-Lite spec."""

    coverage: Coverage
    top_articles: list[Row]
    trending: list[Row]
    decay: list[Row]
    category_mix: list[Row]


@contextmanager
def open_warehouse(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection, after checking that the models the report reads are there."""
    if not path.is_file():
        raise ReportError(f"no warehouse at {path}: build it first (make demo)")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as error:
        writer = re.search(r"Conflicting lock is held in .*? \(PID (\d+)\)", str(error))
        if writer:
            raise ReportError(
                f"cannot open {path} read-only: process {writer[1]} is writing it "
                f"(DuckDB lets no reader in beside a writer); run the report when it has finished"
            ) from error
        first_line = str(error).splitlines()[0]
        raise ReportError(f"cannot open {path} read-only: {first_line}") from error
    try:
        register_lake(con)  # stg_unified_impressions is a view over the lake
        present = set(
            con.execute("select table_schema, table_name from information_schema.tables").fetchall()
        )
        missing = [model for schema, model in REQUIRED_MODELS if (schema, model) not in present]
        if missing:
            raise ReportError(
                f"{path} has no {', '.join(missing)}: build the editorial models first "
                f"(make materialize SELECT={missing[0]})"
            )
        yield con
    finally:
        con.close()


def _rows(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> list[Row]:
    cursor = con.execute(sql, list(params))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def coverages(con: duckdb.DuckDBPyConnection) -> list[Coverage]:
    """One entry per publisher with at least one impression."""
    rows = _rows(
        con,
        """
        with impressions as (
            select
                publisher,
                min(impression_time) as first_impression,
                max(impression_time) as last_impression,
                max(impression_time) filter (where clicked is not null) as last_labeled,
                count(distinct impression_key) as impressions,
                count(*) as candidates,
                count(*) filter (where clicked) as clicks,
                list(distinct dataset order by dataset) as datasets
            from staging.stg_unified_impressions
            group by publisher
        ),
        articles as (
            select publisher, count(*) as articles, count(published_at) as dated_articles
            from marts.dim_articles
            group by publisher
        )
        select
            impressions.*,
            coalesce(articles.articles, 0) as articles,
            coalesce(articles.dated_articles, 0) as dated_articles
        from impressions
        left join articles using (publisher)
        order by publisher
        """,
    )
    return [Coverage(**{**row, "datasets": tuple(row["datasets"])}) for row in rows]


def publisher_data(con: duckdb.DuckDBPyConnection, coverage: Coverage) -> PublisherData:
    """The rows behind each chart of one publisher's page (small: aggregated by the models)."""
    publisher = coverage.publisher
    top_articles = _rows(
        con,
        """
        select
            strftime(impression_date, '%Y-%m-%d') as day,
            rank,
            coalesce(title, article_id) as title,
            coalesce(category, 'unknown') as category,
            clicks,
            impressions,
            ctr
        from editorial.editorial_top_articles_daily
        where publisher = ?
        order by impression_date desc, rank
        """,
        publisher,
    )
    trending = _rows(
        con,
        """
        select
            rank,
            coalesce(title, article_id) as title,
            coalesce(category, 'unknown') as category,
            clicks_last_24h,
            clicks_previous_24h,
            click_rise,
            strftime(as_of, '%Y-%m-%d %H:%M') as as_of
        from editorial.editorial_trending_articles
        where publisher = ? and rank <= 15
        order by rank
        """,
        publisher,
    )
    decay = _rows(
        con,
        """
        select
            hours_since_publication as hours,
            clicks,
            impressions,
            share_of_clicks,
            sum(share_of_clicks) over (order by hours_since_publication) as cumulative_share
        from editorial.editorial_content_decay
        where publisher = ? and clicks is not null
        order by hours_since_publication
        """,
        publisher,
    )
    category_mix = _rows(
        con,
        """
        with totals as (
            select category, sum(impressions) as impressions, sum(clicks) as clicks
            from editorial.editorial_category_mix
            where publisher = ?
            group by category
        )
        select
            category,
            impressions,
            clicks,
            impressions / sum(impressions) over () as share_of_impressions,
            clicks / nullif(sum(clicks) over (), 0) as share_of_clicks
        from totals
        order by share_of_clicks desc nulls last, category
        """,
        publisher,
    )
    if not any(row["clicks"] for row in category_mix):
        category_mix = []
    return PublisherData(coverage, top_articles, trending, decay, category_mix)
