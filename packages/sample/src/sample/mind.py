"""MIND: `MINDsmall_train.zip`, `MINDsmall_dev.zip` and `MINDlarge_test.zip`, each a flat zip of
`behaviors.tsv`, `news.tsv` and the two TransE embedding files.

Quirks reproduced: no header and no quoting (titles hold bare `"`), times as
`M/D/YYYY h:MM:SS AM/PM` without zero padding (12 AM and 12 PM included), impression ids that
restart at 1 in every file, empty histories, empty abstracts, shuffled `N…-1`/`N…-0` tokens with
at least one click, bare ids in the unlabeled test file, a `news.tsv` per split covering exactly
the news its behaviours mention (so the splits overlap and the catalogue is their union),
embedding lines ending in a tab, and the empty `__placeholder__` of the large release.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from sample import vocabulary
from sample.archives import Member, write_zip
from sample.clock import DAY, epoch
from sample.counts import Tally
from sample.sql import STRIDES, column, connect, sql_list, text

SPLITS = ("train", "dev", "test")
FILES = {"train": "MINDsmall_train.zip", "dev": "MINDsmall_dev.zip", "test": "MINDlarge_test.zip"}
SHARES = {"train": 0.7, "dev": 0.2, "test": 0.1}
IMPRESSIONS_PER_SCALE = 1570
DIM = 100
TIME_FORMAT = "%-m/%-d/%Y %-I:%M:%S %p"


@dataclass(frozen=True)
class Plan:
    """Sizes for one split at a given scale."""

    split: str
    impressions: int
    news: int
    users: int
    user_base: int
    entities: int
    relations: int
    start: int
    stop: int

    @property
    def labeled(self) -> bool:
        return self.split != "test"


def plan(split: str, scale: float, end: datetime) -> Plan:
    """Train covers the five days before dev's day, dev the day before the last, and the
    unlabeled test split the last day up to `end`."""
    total = max(20, round(IMPRESSIONS_PER_SCALE * scale))
    counts = {"train": round(total * SHARES["train"]), "dev": round(total * SHARES["dev"])}
    counts["test"] = total - counts["train"] - counts["dev"]
    users = max(20, round(500 * scale))
    stop = epoch(end)
    windows = {
        "train": (stop - 7 * DAY, stop - 2 * DAY),
        "dev": (stop - 2 * DAY, stop - DAY),
        "test": (stop - DAY, stop),
    }
    bases = {"train": 0, "dev": round(0.88 * users), "test": round(1.5 * users)}
    return Plan(
        split=split,
        impressions=counts[split],
        news=max(200, round(510 * scale)),
        users=users,
        user_base=bases[split],
        entities=max(50, round(100 * scale)),
        relations=max(20, min(1000, round(10 * scale))),
        start=windows[split][0],
        stop=windows[split][1],
    )


def write_split(folder: Path, split: str, scale: float, seed: int, end: datetime) -> Tally:
    """Write one split's zip into `folder` and return what it holds."""
    p = plan(split, scale, end)
    con = connect(seed)
    _impressions(con, p)
    _news(con, p)
    tally = _tally(con, p)
    members = [
        Member("behaviors.tsv", text(con, _BEHAVIORS)),
        Member("entity_embedding.vec", text(con, _vectors("entities", "mind-entity-vector"))),
        Member("news.tsv", text(con, _NEWS_LINES)),
        Member("relation_embedding.vec", text(con, _vectors("relations", "mind-relation-vector"))),
    ]
    if split == "test":
        members.append(Member("__placeholder__", b""))
    write_zip(folder / FILES[split], members, end)
    con.close()
    return tally


def _impressions(con: duckdb.DuckDBPyConnection, p: Plan) -> None:
    """Impressions, their candidate rows and the users' histories, as tables."""
    split_no = SPLITS.index(p.split)
    midnight = -(-p.start // DAY) * DAY
    pins = (
        f"when 0 then {midnight + 5 * 60 + 3} when 1 then {midnight + 12 * 3600 + 7 * 60 + 9}"
        if p.split == "train"
        else f"when 0 then {p.stop - 7 * 60 - 11}"
    )
    label = "'-' || clicked::int" if p.labeled else "''"
    con.execute(f"""
        create table imp as
        select k, g, u, t, n, least(c, n - 1) as c, off, stride
        from (
            select k, g,
                {p.user_base} + randint('mind-user', g, {p.users}) as u,
                case k {pins} else {p.start} + randint('mind-time', g, {p.stop - p.start})
                end as t,
                2 + floor(105 * pow(rand('mind-n', g), 2))::int as n,
                1 + (rand('mind-c1', g) < 0.3)::int + (rand('mind-c2', g) < 0.1)::int as c,
                floor({p.news} * pow(rand('mind-off', g), 1.5))::bigint as off,
                pick({STRIDES}, 'mind-stride', g) as stride
            from (select k, {split_no} * 1000000000 + k as g from range({p.impressions}) r(k))
        );
        create table cand as
        select k, j, (off + j * stride) % {p.news} as news, j < c as clicked,
            rand2('mind-shuffle', g, j) as shuffle
        from (select k, g, off, stride, c, unnest(range(n)) as j from imp);
        create table impressions as
        select k, string_agg('N' || (news + 1) || {label}, ' ' order by shuffle) as impressions
        from cand group by k;
        create table history_items as
        select u, news, min(j) as j
        from (
            select u, j, floor({p.news} * pow(rand2('mind-history', u, j), 1.3))::bigint as news
            from (
                select u, unnest(range(case when rand('mind-history-empty', u) < 0.05 then 0
                    else 1 + floor(90 * pow(rand('mind-history-n', u), 2))::int end)) as j
                from (select distinct u from imp)
            )
        )
        group by u, news;
        create table history as
        select u, string_agg('N' || (news + 1), ' ' order by j) as history
        from history_items group by u;
    """)


_BEHAVIORS = f"""
    select concat_ws(chr(9), k + 1, 'U' || (u + 1),
        strftime(make_timestamp(t * 1000000), '{TIME_FORMAT}'),
        coalesce(history, ''), impressions) || chr(10)
    from imp join impressions using (k) left join history using (u)
    order by k
"""


def _news(con: duckdb.DuckDBPyConnection, p: Plan) -> None:
    """The news this split mentions, with their entities, and the embedding tables."""
    categories = (
        "["
        + ", ".join(
            f"{{'c': '{c}', 's': {sql_list(subs)}}}"
            for c, subs in vocabulary.MIND_CATEGORIES.items()
        )
        + "]"
    )
    english = sql_list(vocabulary.ENGLISH)
    con.execute(f"""
        create table entity_pool as
        select e, type, 'Q' || (1000 + e * 37 + randint('mind-wikidata', e, 37)) as wikidata_id,
            case type
                when 'P' then pick({sql_list(vocabulary.FIRST_NAMES)}, 'mind-first', e)
                    || ' ' || pick({sql_list(vocabulary.LAST_NAMES)}, 'mind-last', e)
                when 'G' then pick({sql_list(vocabulary.PLACES)}, 'mind-place', e)
                else pick({sql_list(vocabulary.ORGANIZATIONS)}, 'mind-org', e)
            end as label,
            printf('%.3f', 0.9 + 0.1 * rand('mind-confidence', e)) as confidence
        from (select e, pick(['P', 'P', 'G', 'O'], 'mind-entity-type', e) as type
              from range({p.entities}) r(e));
        create table news as
        select i, pick({categories}, 'mind-category', i) as category,
            case when rand('mind-title-entity', i) < 0.55
                then randint('mind-title-entity-id', i, {p.entities}) end as title_entity,
            case when rand('mind-abstract-entity', i) < 0.35
                then randint('mind-abstract-entity-id', i, {p.entities}) end as abstract_entity,
            words({english}, 'mind-title', i, 4 + randint('mind-title-n', i, 9))
                || case when rand('mind-quote', i) < 0.12
                    then ' "' || pick({english}, 'mind-quoted', i) || '"' else '' end as title,
            case when rand('mind-abstract-empty', i) >= 0.06
                then words({english}, 'mind-abstract', i, 12 + randint('mind-abstract-n', i, 30))
                    || '.' end as abstract
        from (select news as i from cand union select news from history_items);
        create table entities as
        select e, wikidata_id from entity_pool
        where e in (select title_entity from news union select abstract_entity from news)
            and rand('mind-no-embedding', e) >= 0.05;
        create table relations as
        select r as e, 'P' || (10 + r * 7 + randint('mind-relation-id', r, 7)) as wikidata_id
        from range({p.relations}) t(r);
    """)


def _entity_json(alias: str) -> str:
    return f"""'[{{"Label": "' || {alias}.label || '", "Type": "' || {alias}.type
        || '", "WikidataId": "' || {alias}.wikidata_id || '", "Confidence": '
        || {alias}.confidence || ', "OccurrenceOffsets": [0], "SurfaceForms": ["'
        || {alias}.label || '"]}}]'"""


_NEWS_LINES = f"""
    select concat_ws(chr(9), 'N' || (i + 1), category.c, pick(category.s, 'mind-sub', i),
        coalesce(te.label || ' ' || title, capitalized(title)),
        coalesce(ae.label || ' ' || abstract, capitalized(abstract), ''),
        'https://assets.msn.com/labs/mind/AA' || upper(left(md5('mind-url' || i), 5)) || '.html',
        coalesce({_entity_json("te")}, '[]'),
        coalesce(case when abstract is not null then {_entity_json("ae")} end, '[]')) || chr(10)
    from news
        left join entity_pool te on te.e = news.title_entity
        left join entity_pool ae on ae.e = news.abstract_entity
    order by rand('mind-news-order', i)
"""


def _vectors(table: str, salt: str) -> str:
    """`<wikidata id>\\t<100 floats>\\t` lines, as the real files (trailing tab included)."""
    return f"""
        select wikidata_id || chr(9) || array_to_string(list_transform(range({DIM}),
            lambda x: printf('%.6f', rand2('{salt}', e, x) * 0.4 - 0.2)), chr(9)) || chr(9)
            || chr(10)
        from {table} order by e
    """


def _tally(con: duckdb.DuckDBPyConnection, p: Plan) -> Tally:
    [(impressions, candidates, clicks)] = con.execute(
        "select count(*), sum(n), sum(c) from imp"
    ).fetchall()
    return Tally(
        impressions=impressions,
        candidates=int(candidates or 0),
        clicks=int(clicks or 0) if p.labeled else 0,
        unlabeled_candidates=0 if p.labeled else int(candidates or 0),
        articles=column(con, "select 'N' || (i + 1) from news"),
        users=column(con, "select distinct 'U' || (u + 1) from imp"),
    )
