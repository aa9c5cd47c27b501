"""A publisher's split in the unified schema as Parquet: `<publisher>/<split>/impressions.parquet`
(the columns of `stg_unified_impressions`, one row per candidate, every release of that split)
and `articles.parquet` (the columns of `stg_unified_articles`, every article those impressions
show). DuckDB's COPY streams them to disk."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

_CANDIDATES = """
    select * from research.benchmark_impressions
    where publisher = $publisher and split = $split
"""

IMPRESSIONS_SQL = f"""
    select * from ({_CANDIDATES})
    order by dataset, impression_time, impression_key, position
"""

ARTICLES_SQL = f"""
    select * from staging.stg_unified_articles
    where publisher = $publisher
        and article_id in (select article_id from ({_CANDIDATES}))
    order by article_id
"""


def write_split(
    con: duckdb.DuckDBPyConnection, publisher: str, split: str, folder: Path
) -> tuple[Path, int]:
    """`<folder>/<publisher>/<split>/` with both files; returns it and the candidate rows. Each
    file is written under a `.part` name and renamed when complete."""
    target = folder / publisher / split
    target.mkdir(parents=True, exist_ok=True)
    params = {"publisher": publisher, "split": split}
    rows = copy(con, IMPRESSIONS_SQL, params, target / "impressions.parquet")
    copy(con, ARTICLES_SQL, params, target / "articles.parquet")
    return target, rows


def copy(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, str], target: Path) -> int:
    partial = target.with_name(target.name + ".part")
    quoted = str(partial).replace("'", "''")
    result = con.execute(
        f"copy ({sql}) to '{quoted}' (format parquet, compression zstd)", params
    ).fetchone()
    os.replace(partial, target)
    return result[0]
