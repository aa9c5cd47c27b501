"""Generated downloads, ingested and built, give exactly the counts the generator reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_sample, query, unified_counts
from ingestion import PUBLISHERS


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    base = tmp_path_factory.mktemp("sample")
    return base, build_sample(base)


def test_unified_impressions_match_the_generator(built: tuple[Path, dict]) -> None:
    base, report = built
    expected = {
        publisher: (
            counts["impressions"],
            counts["candidates"],
            counts["clicks"],
            counts["unlabeled_candidates"],
        )
        for publisher, counts in report["publishers"].items()
    }
    assert unified_counts(base) == expected


def test_catalogues_and_users_match_the_generator(built: tuple[Path, dict]) -> None:
    base, report = built
    articles = dict(query(base, "select publisher, count(*) from marts.dim_articles group by 1"))
    users = dict(query(base, "select publisher, count(*) from marts.dim_users group by 1"))
    for publisher, counts in report["publishers"].items():
        assert articles[publisher] == counts["articles"], publisher
        assert users[publisher] == counts["users"], publisher


def test_marts_add_up_to_the_unified_model(built: tuple[Path, dict]) -> None:
    base, report = built
    clicks = sum(c["clicks"] for c in report["publishers"].values())
    assert query(base, "select sum(clicks) from marts.mart_article_performance") == [(clicks,)]
    assert query(base, "select sum(clicks) from marts.mart_category_daily") == [(clicks,)]
    assert query(base, "select sum(clicks) from editorial.editorial_category_mix") == [(clicks,)]
    top = query(
        base,
        "select publisher, max(rank), count(*) from editorial.editorial_top_articles_daily "
        "group by 1 order by 1",
    )
    assert [publisher for publisher, *_ in top] == sorted(PUBLISHERS)
    assert all(highest <= 10 for _, highest, _ in top)
