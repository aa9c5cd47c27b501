"""The real EB-NeRD rows come out of the warehouse as exactly their in-view candidates."""

from __future__ import annotations

import zipfile
from pathlib import Path

import duckdb
from conftest import EBNERD_FIXTURES, dbt_build, query, unified_counts
from ingestion import Layout, run_publisher


def fixture_release(base: Path) -> None:
    """The fixture files as the train split of a flat release zip."""
    with zipfile.ZipFile(base / "raw-download/ebnerd/ebnerd_demo.zip", "w") as archive:
        for name in ("behaviors", "history"):
            archive.write(EBNERD_FIXTURES / f"{name}.parquet", f"train/{name}.parquet")


def expected() -> tuple[int, int, int, int]:
    """Impressions, in-view candidates, clicked in-view candidates, unlabeled: from the file."""
    path = (EBNERD_FIXTURES / "behaviors.parquet").as_posix()
    row = duckdb.sql(
        f"select count(*), sum(len(article_ids_inview)), "
        f"sum(len(list_intersect(article_ids_inview, article_ids_clicked))), 0 "
        f"from read_parquet('{path}')"
    ).fetchall()[0]
    return tuple(int(n) for n in row)


def test_fixture_rows_become_their_inview_candidates(data: Path) -> None:
    fixture_release(data)
    run_publisher("ebnerd", Layout.at(data))
    dbt_build(data)
    counts = unified_counts(data)
    assert counts == {"ebnerd": expected()}
    assert expected()[1] == 10_848


def test_fixture_clicks_land_on_the_clicked_articles(data: Path) -> None:
    fixture_release(data)
    run_publisher("ebnerd", Layout.at(data))
    dbt_build(data, "--select", "+stg_unified_impressions")
    path = (EBNERD_FIXTURES / "behaviors.parquet").as_posix()
    source = duckdb.sql(
        f"select impression_id::varchar, unnest(article_ids_clicked)::varchar "
        f"from read_parquet('{path}') order by all"
    ).fetchall()
    clicked = query(
        data,
        "select impression_id, article_id from staging.stg_unified_impressions "
        "where clicked order by all",
    )
    assert clicked == source
    splits = query(data, "select distinct dataset, split from staging.stg_unified_impressions")
    assert splits == [("ebnerd_demo/train", "train")]
