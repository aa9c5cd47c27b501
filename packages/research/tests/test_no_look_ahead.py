"""The baselines and Adressa's negatives use nothing from after the impression: articles shown
around a moment T, clicked again one second after T and once more after the last impression,
change no score of any candidate shown at or before T and no negative drawn for a view at or
before T, while they do change the popularity of candidates shown after T."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import duckdb
from conftest import dbt_build, query

SCORE_COLUMNS = (
    "split_number, impression_number, position, clicked, article_number, "
    "impression_time, clicks_24h, age_hours, score_random, score_popular, score_recent, "
    "score_decayed"
)


def moment(warehouse: Path, publisher: str) -> datetime:
    """The median time of the publisher's labeled impressions."""
    return query(
        warehouse,
        "select quantile_disc(impression_time, 0.5) from staging.stg_unified_impressions "
        "where publisher = ? and clicked is not null",
        [publisher],
    )[0][0]


def add_future_clicks(
    con: duckdb.DuckDBPyConnection, publisher: str, around: datetime, at: datetime, first_id: int
) -> int:
    """At `at`, a new user clicks every article shown in the hour before `around` and in the
    hour after it: a new impression (MIND, EB-NeRD) or new article views (Adressa)."""
    articles = [
        a
        for (a,) in con.execute(
            "select distinct article_id from staging.stg_unified_impressions "
            "where publisher = $p and impression_time between $from and $to order by 1",
            {
                "p": publisher,
                "from": around - timedelta(hours=1),
                "to": around + timedelta(hours=1),
            },
        ).fetchall()
    ]
    dataset, split = con.execute(
        "select dataset, split from staging.stg_unified_impressions "
        "where publisher = $p and clicked is not null and impression_time <= $at "
        "order by impression_time desc limit 1",
        {"p": publisher, "at": at},
    ).fetchone()
    single = publisher == "adressa"  # a view is an impression of its own
    for i, article in enumerate(articles):
        impression = str(first_id + i if single else first_id)
        con.execute(
            "insert into staging.stg_unified_impressions (publisher, dataset, impression_key, "
            "impression_id, user_id, article_id, position, impression_time, clicked, split) "
            "values ($p, $dataset, $key, $id, 'future-reader', $article, $position, $time, true, "
            "$split)",
            {
                "p": publisher,
                "dataset": dataset,
                "key": f"{publisher}:future:{impression}",
                "id": impression,
                "article": article,
                "position": 0 if single else i,
                "time": at,
                "split": split,
            },
        )
    return len(articles)


def test_clicks_after_an_impression_do_not_change_its_scores(
    writable_copy: Path, warehouse: Path
) -> None:
    rebuilt = writable_copy / "warehouse.duckdb"
    moments = {p: moment(warehouse, p) for p in ("mind", "ebnerd", "adressa")}
    with duckdb.connect(str(rebuilt)) as con:
        for publisher, at in moments.items():
            (last,) = con.execute(
                "select max(impression_time) from staging.stg_unified_impressions "
                "where publisher = ?",
                [publisher],
            ).fetchone()
            soon = add_future_clicks(con, publisher, at, at + timedelta(seconds=1), 900_000_000)
            after_all = add_future_clicks(
                con, publisher, at, last + timedelta(seconds=1), 950_000_000
            )
            assert soon == after_all > 5, publisher
    # the marts the research models read are rebuilt too (an article's first showing), in full:
    # the unified table was changed behind dbt's back, so no recorded state says it changed
    dbt_build(writable_copy, "--select", "mart_article_performance+", "research", "--full-refresh")

    with duckdb.connect() as con:
        con.execute(f"attach '{warehouse}' as before (read_only)")
        con.execute(f"attach '{rebuilt}' as after (read_only)")
        for publisher, at in moments.items():
            numbers = (
                "select dataset_number from before.research.benchmark_datasets "
                f"where publisher = '{publisher}'"
            )
            scores = (
                f"select {SCORE_COLUMNS} from {{}}.research.benchmark_baseline_scores "
                f"where split_number // 4 in ({numbers}) "
                "and impression_number not between 900000000 and 999999999"
            )
            earlier = f"{scores} and impression_time <= $at"
            for one, other in (("before", "after"), ("after", "before")):
                leaked = con.execute(
                    f"{earlier.format(one)} except all {earlier.format(other)}", {"at": at}
                ).fetchall()
                assert leaked == [], (publisher, leaked[:3])
            later = con.execute(
                f"select count(*) from ({scores.format('before')}) as b "
                f"join ({scores.format('after')}) as a using "
                "(split_number, impression_number, position) "
                "where a.clicks_24h > b.clicks_24h and b.impression_time > $at",
                {"at": at},
            ).fetchone()[0]
            assert later > 0, publisher  # the added clicks do count, for later impressions

        negatives = (
            "select dataset_number, impression_number, pool_size, has_negatives, "
            "negative_pool_ranks, positive_position from {}.research.benchmark_adressa_impressions "
            "where impression_time <= $at"
        )
        for one, other in (("before", "after"), ("after", "before")):
            assert (
                con.execute(
                    f"{negatives.format(one)} except all {negatives.format(other)}",
                    {"at": moments["adressa"]},
                ).fetchall()
                == []
            )
