"""EB-NeRD: `ebnerd_small.zip` (flat: articles, train/ and validation/ behaviours and histories)
and `ebnerd_testset.zip` (wrapped in `ebnerd_testset/`: articles and the unlabeled test split),
both with macOS junk, written by pyarrow with the released Arrow types.

Quirks reproduced: front-page impressions (null `article_id` and `scroll_percentage`), sparse
nullable int8 demographics, shuffled duplicate-free `article_ids_inview` (at least 5) with 1-2
clicked ids among them, rows not sorted by time, a 14-column test file whose beyond-accuracy rows
all have `impression_id` 0 and share one fixed in-view list, one history row per user with four
parallel lists (times non-decreasing, before the split's window, null scroll elements), and
21-column articles whose `total_*` aggregates are null for older articles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from ingestion import EBNERD_SCHEMAS

from sample import vocabulary
from sample.archives import Member, apple_double, ds_store, write_zip
from sample.clock import DAY, epoch
from sample.counts import Tally, merge
from sample.sql import STRIDES, column, connect, sql_list

SMALL = "ebnerd_small.zip"
TESTSET = "ebnerd_testset.zip"
FILES = (SMALL, TESTSET)
SPLITS = ("train", "validation", "test")
IMPRESSIONS_PER_SCALE = 2330
SHARES = {"train": 0.4, "validation": 0.4, "test": 0.2}
BEYOND_ACCURACY_SHARE = 0.005
BEYOND_ACCURACY_LENGTH = 250
MAX_INVIEW = 100

# The release's schemas, as the reader defines them: the train and validation behaviours have
# 17 columns, the test split 13 of them plus `is_beyond_accuracy`.
_BEHAVIORS = EBNERD_SCHEMAS["behaviors"]
TRAIN_BEHAVIORS = _BEHAVIORS.remove(_BEHAVIORS.get_field_index("is_beyond_accuracy"))
_TEST_COLUMNS = (
    "impression_id",
    "impression_time",
    "read_time",
    "scroll_percentage",
    "device_type",
    "article_ids_inview",
    "user_id",
    "is_sso_user",
    "gender",
    "postcode",
    "age",
    "is_subscriber",
    "session_id",
    "is_beyond_accuracy",
)
TEST_BEHAVIORS = pa.schema([_BEHAVIORS.field(name) for name in _TEST_COLUMNS])
HISTORY = EBNERD_SCHEMAS["history"]
ARTICLES = EBNERD_SCHEMAS["articles"]


@dataclass(frozen=True)
class Plan:
    """Sizes and time windows at a given scale.

    The three 7-day behaviour windows follow each other and end at `end`; each split's history
    covers the 21 days before its window. Articles are published evenly over the 63 days before
    `end`, so an impression can show the ones already out (`latest(t)` and the `window` before
    it)."""

    impressions: dict[str, int]
    beyond_accuracy: int
    articles: int
    window: int
    users: int
    stop: int

    @property
    def published_from(self) -> int:
        return self.stop - 63 * DAY

    def span(self, split: str) -> tuple[int, int]:
        weeks_back = {"train": 3, "validation": 2, "test": 1}[split]
        start = self.stop - weeks_back * 7 * DAY
        return start, start + 7 * DAY


def plan(scale: float, end: datetime) -> Plan:
    total = max(30, round(IMPRESSIONS_PER_SCALE * scale))
    counts = {s: round(total * SHARES[s]) for s in ("train", "validation")}
    counts["test"] = total - counts["train"] - counts["validation"]
    articles = max(150, round(200 * scale))
    return Plan(
        impressions=counts,
        beyond_accuracy=max(1, round(counts["test"] * BEYOND_ACCURACY_SHARE)),
        articles=articles,
        window=max(MAX_INVIEW, round(articles * 14 / 63)),
        users=max(10, round(150 * scale)),
        stop=epoch(end),
    )


def write_small(folder: Path, scale: float, seed: int, end: datetime) -> Tally:
    """`ebnerd_small.zip`: articles plus the labeled train and validation splits."""
    p = plan(scale, end)
    con = _connect(p, seed)
    articles = _articles(con, p)
    members = [
        Member("articles.parquet", _parquet(articles, ARTICLES)),
        Member("__MACOSX/._articles.parquet", apple_double()),
    ]
    tallies = []
    for split in ("train", "validation"):
        behaviors, tally = _behaviors(con, p, split)
        members += [
            Member(f"{split}/", None),
            Member(f"{split}/behaviors.parquet", _parquet(behaviors, TRAIN_BEHAVIORS)),
            Member(f"__MACOSX/{split}/._behaviors.parquet", apple_double()),
            Member(f"{split}/history.parquet", _parquet(_history(con, p, split), HISTORY)),
            Member(f"__MACOSX/{split}/._history.parquet", apple_double()),
        ]
        tallies.append(tally)
    write_zip(folder / SMALL, members, end)
    con.close()
    return _with_articles(merge(tallies), articles)


def write_testset(folder: Path, scale: float, seed: int, end: datetime) -> Tally:
    """`ebnerd_testset.zip`: articles plus the unlabeled test split, in a wrapping folder."""
    p = plan(scale, end)
    con = _connect(p, seed)
    articles = _articles(con, p)
    behaviors, tally = _behaviors(con, p, "test")
    root = "ebnerd_testset"
    members = [
        Member(f"{root}/", None),
        Member(f"__MACOSX/._{root}", apple_double()),
        Member(f"{root}/.DS_Store", ds_store()),
        Member(f"__MACOSX/{root}/._.DS_Store", apple_double()),
        Member(f"{root}/articles.parquet", _parquet(articles, ARTICLES)),
        Member(f"__MACOSX/{root}/._articles.parquet", apple_double()),
        Member(f"{root}/test/", None),
        Member(f"{root}/test/history.parquet", _parquet(_history(con, p, "test"), HISTORY)),
        Member(f"__MACOSX/{root}/test/._history.parquet", apple_double()),
        Member(f"{root}/test/behaviors.parquet", _parquet(behaviors, TEST_BEHAVIORS)),
        Member(f"__MACOSX/{root}/test/._behaviors.parquet", apple_double()),
    ]
    write_zip(folder / TESTSET, members, end)
    con.close()
    return _with_articles(tally, articles)


def _with_articles(tally: Tally, articles: pa.Table) -> Tally:
    """Every article of the catalogue counts, shown or not: it is a row of `articles`."""
    tally.articles = articles.column("article_id").cast(pa.string()).combine_chunks()
    return tally


def _connect(p: Plan, seed: int) -> duckdb.DuckDBPyConnection:
    con = connect(seed)
    span = 63 * DAY
    con.execute(f"""
        create macro article_id(i) as 3000000 + i * 97 + randint('eb-article-id', i, 97);
        create macro latest(t) as greatest(0, least({p.articles} - 1,
            floor((t - {p.published_from}) * {p.articles} / {span})::bigint - 1));
        create macro user_id(u) as 10000 + u * 7 + randint('eb-user-id', u, 7);
    """)
    return con


def _parquet(table: pa.Table, schema: pa.Schema) -> bytes:
    """The released columns with their types, as ZSTD Parquet like the real (Polars) files."""
    sink = pa.BufferOutputStream()
    pq.write_table(table.select(schema.names).cast(schema), sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def _articles(con: duckdb.DuckDBPyConnection, p: Plan) -> pa.Table:
    danish = sql_list(vocabulary.DANISH)
    categories = (
        "["
        + ", ".join(
            f"{{'id': {cid}, 'name': '{name}', 'subs': {sql_list(subs) if subs else '[]::int[]'}}}"
            for cid, name, subs in vocabulary.EBNERD_CATEGORIES
        )
        + "]"
    )
    entities = (
        "["
        + ", ".join(
            f"{{'name': '{name}', 'group': '{group}'}}"
            for name, group in vocabulary.EBNERD_ENTITIES
        )
        + "]"
    )
    export = p.stop - 2 * 3600
    aggregates_from = p.published_from + 16 * DAY
    return con.sql(f"""
        with base as (
            select i,
                {p.published_from} + floor((i + rand('eb-published', i)) * {63 * DAY}
                    / {p.articles})::bigint as published,
                pick({categories}, 'eb-category', i) as category,
                list_transform(range(randint('eb-ner-n', i, 5)),
                    lambda x: pick2({entities}, 'eb-ner', i, x)) as entities
            from range({p.articles}) r(i)
        )
        select
            article_id(i) as article_id,
            capitalized(words({danish}, 'eb-title', i, 4 + randint('eb-title-n', i, 8)))
                as title,
            capitalized(words({danish}, 'eb-subtitle', i, 8 + randint('eb-subtitle-n', i, 16)))
                || '.' as subtitle,
            make_timestamp(1000000 * case when rand('eb-modified', i) < 0.7
                then greatest(published, {export} + randint('eb-export', i, 900))
                else published + floor(({p.stop} - published) * rand('eb-modified-at', i))::bigint
                end) as last_modified_time,
            rand('eb-premium', i) < 0.2 as premium,
            capitalized(words({danish}, 'eb-body', i, 40 + randint('eb-body-n', i, 80)))
                || '.' as body,
            make_timestamp(1000000 * published) as published_time,
            list_transform(range(randint('eb-images', i, 4)),
                lambda x: 8000000 + randint2('eb-image', i, x, 2000000)) as image_ids,
            pick({sql_list(vocabulary.EBNERD_ARTICLE_TYPES)}, 'eb-type', i) as article_type,
            'https://ekstrabladet.dk/' || category.name || '/' || article_id(i) as url,
            list_transform(entities, lambda e: e.name) as ner_clusters,
            list_transform(entities, lambda e: e.group) as entity_groups,
            list_transform(range(randint('eb-topics-n', i, 4)),
                lambda x: pick2({sql_list(vocabulary.EBNERD_TOPICS)}, 'eb-topic', i, x))
                as topics,
            category.id as category,
            list_slice(category.subs, 1, randint('eb-subs', i, 3)) as subcategory,
            category.name as category_str,
            case when published >= {aggregates_from}
                then 100 + randint('eb-inviews', i, 500000) end as total_inviews,
            case when published >= {aggregates_from}
                then 10 + randint('eb-pageviews', i, 60000) end as total_pageviews,
            case when published >= {aggregates_from}
                then 100.0 * randint('eb-readtime', i, 40000) end as total_read_time,
            0.4 + 0.6 * rand('eb-sentiment', i) as sentiment_score,
            pick(['Negative', 'Neutral', 'Positive'], 'eb-sentiment-label', i)
                as sentiment_label
        from base
        order by i
    """).to_arrow_table()


def _user_columns(u: str) -> str:
    """Per-user attributes: stable for the whole period, demographics mostly missing."""
    return f"""
        user_id({u}) as user_id,
        rand('eb-sso', {u}) < 0.3 as is_sso_user,
        case when rand('eb-gender-known', {u}) >= 0.23
            then randint('eb-gender', {u}, 2) end as gender,
        case when rand('eb-postcode-known', {u}) >= 0.76
            then randint('eb-postcode', {u}, 5) end as postcode,
        case when rand('eb-age-known', {u}) >= 0.57
            then 20 + 10 * randint('eb-age', {u}, 7) end as age,
        rand('eb-subscriber', {u}) < 0.1 as is_subscriber
    """


def _behaviors(con: duckdb.DuckDBPyConnection, p: Plan, split: str) -> tuple[pa.Table, Tally]:
    """One split's behaviour rows (the test split ends with its beyond-accuracy rows)."""
    split_no = SPLITS.index(split)
    start, stop = p.span(split)
    rows = p.impressions[split]
    regular = rows - p.beyond_accuracy if split == "test" else rows
    user_base = round(split_no * p.users / 2)
    id_base = (48, 98, 148)[split_no] * 1_000_000
    pin = f"when 0 then {stop - 5 * 60 - 17}" if split == "test" else "when -1 then 0"
    con.execute(f"""
        create or replace table behaviors_{split} as
        select k, g, t, u,
            k >= {regular} as is_beyond_accuracy,
            rand('eb-front', g) < 0.7 as front,
            least({MAX_INVIEW}, 5 + floor(96 * pow(rand('eb-n', g), 12.6))::int) as n,
            1 + (rand('eb-two-clicks', g) < 0.005)::int as c,
            randint('eb-off', g, {p.window}) as off,
            pick({STRIDES}, 'eb-stride', g) as stride
        from (
            select k, g,
                case k {pin} else {start} + randint('eb-time', g, {stop - start}) end as t,
                {user_base} + randint('eb-user', g, {p.users}) as u
            from (select k, {split_no} * 1000000000 + k as g from range({rows}) r(k))
        )
    """)
    fixed = f"""list_transform(list_sort(list_transform(
        range({p.articles - min(BEYOND_ACCURACY_LENGTH, p.articles)}, {p.articles}),
        lambda i: {{'key': rand('eb-beyond-accuracy', i), 'id': article_id(i)}})),
        lambda s: s.id)"""
    table = con.sql(f"""
        with shown as (
            select *, latest(t) as newest from behaviors_{split}
        )
        select
            case when is_beyond_accuracy then 0
                else {id_base} + 1 + 5 * k + randint('eb-impression', g, 5)
            end as impression_id,
            case when not front then article_id(newest - ((off + n * stride) % {p.window}))
                end as article_id,
            make_timestamp(1000000 * t) as impression_time,
            floor(300 * pow(rand('eb-read', g), 3)) as read_time,
            case when not front and rand('eb-scroll-known', g) >= 0.09
                then round(100 * sqrt(rand('eb-scroll', g))) end as scroll_percentage,
            case when rand('eb-device', g) < 0.6 then 2
                when rand('eb-device', g) < 0.9 then 1 else 3 end as device_type,
            case when is_beyond_accuracy then {fixed} else list_transform(list_sort(
                list_transform(range(n), lambda j: {{'key': rand2('eb-shuffle', g, j),
                    'id': article_id(newest - ((off + j * stride) % {p.window}))}})),
                lambda s: s.id) end as article_ids_inview,
            list_transform(range(c),
                lambda j: article_id(newest - ((off + j * stride) % {p.window})))
                as article_ids_clicked,
            {_user_columns("u")},
            1 + randint2('eb-session', u, t // 1800, 4000000000) as session_id,
            case when rand('eb-next-read-known', g) >= 0.02
                then floor(200 * pow(rand('eb-next-read', g), 2)) end as next_read_time,
            case when rand('eb-next-scroll-known', g) >= 0.1
                then round(100 * rand('eb-next-scroll', g)) end as next_scroll_percentage,
            is_beyond_accuracy
        from shown
        order by k
    """).to_arrow_table()
    [(candidates, clicks)] = con.execute(f"""
        select sum(case when is_beyond_accuracy then
            {min(BEYOND_ACCURACY_LENGTH, p.articles)} else n end), sum(c)
        from behaviors_{split}
    """).fetchall()
    labeled = split != "test"
    tally = Tally(
        impressions=rows,
        candidates=int(candidates),
        clicks=int(clicks) if labeled else 0,
        unlabeled_candidates=0 if labeled else int(candidates),
        users=column(con, f"select distinct user_id(u)::varchar from behaviors_{split}"),
    )
    return table, tally


def _history(con: duckdb.DuckDBPyConnection, p: Plan, split: str) -> pa.Table:
    """One row per user of the split: clicks in the 21 days before its window, in time order."""
    start, _ = p.span(split)
    first = start - 21 * DAY
    return con.sql(f"""
        with items as (
            select u, j,
                {first} + randint2('eb-history-time', u, j, {21 * DAY}) as t,
                case when rand2('eb-history-scroll-known', u, j) >= 0.3
                    then round(100 * sqrt(rand2('eb-history-scroll', u, j))) end as scroll,
                floor(120 * pow(rand2('eb-history-read', u, j), 2)) as read_time
            from (
                select u, unnest(range(5 + floor(295 * pow(rand('eb-history-n', u), 2))::int)) as j
                from (select distinct u from behaviors_{split})
            )
        )
        select user_id(u) as user_id,
            list(make_timestamp(1000000 * t) order by t, j) as impression_time_fixed,
            list(scroll order by t, j) as scroll_percentage_fixed,
            list(article_id(greatest(0, latest(t)
                - floor({p.window} * pow(rand2('eb-history-article', u, j), 2))::bigint))
                order by t, j) as article_id_fixed,
            list(read_time order by t, j) as read_time_fixed
        from items
        group by u
        order by u
    """).to_arrow_table()
