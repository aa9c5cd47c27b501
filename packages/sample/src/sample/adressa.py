"""Adressa: `one_week.tar.gz` holding seven JSON-lines daily files `one_week/YYYYMMDD`, and loose
extra daily files for the "add one new day" benchmark.

Quirks reproduced: files without extension named by the Oslo date (so a file opens at 23:00 UTC
the day before), events not in time order, front-page and section events without `id`, article
events with a 40-hex `id`, `\\u`-escaped non-ASCII titles, `.ece` urls, canonical urls,
millisecond `Z` publish times, author lists, keywords and a small `profile`; `category1` on some
events only; `activeTime`, place and referrer keys missing on some; repeated user-article reads;
and one truncated JSON line in every other daily file (well under the ingestion's 0.1% limit).

Articles and users are numbered on an absolute scale (article `n` is published at about
`n * period` seconds after the epoch), so any day, generated alone, agrees with every other day on
an article's id, title and publish time.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from sample import vocabulary
from sample.archives import TarMember, part_path, write_tar_gz
from sample.clock import DAY, epoch, oslo_day, oslo_day_start
from sample.counts import Tally, as_report
from sample.sql import column, connect, literal, sql_list, text

ARCHIVE = "one_week.tar.gz"
FOLDER = "one_week"
DAYS = 7
ARTICLE_EVENTS_PER_SCALE = 3300
OTHER_EVENTS_PER_SCALE = 6500
ARTICLES_PER_WEEK_PER_SCALE = 100
USERS_PER_SCALE = 5000
BAD_LINE_MIN_LINES = 2000
"""A file gets its truncated line only when that stays far below the ingestion's 0.1% limit."""


@dataclass(frozen=True)
class Plan:
    article_events: int
    other_events: int
    period: float
    lookback: int
    users: int


def plan(scale: float) -> Plan:
    """Per day: article and other events; articles appear every `period` seconds and readers
    mostly pick among the last three days' (`lookback`) articles."""
    period = 7 * DAY / max(20, ARTICLES_PER_WEEK_PER_SCALE * scale)
    return Plan(
        article_events=max(10, round(ARTICLE_EVENTS_PER_SCALE * scale)),
        other_events=max(10, round(OTHER_EVENTS_PER_SCALE * scale)),
        period=period,
        lookback=max(5, round(3 * DAY / period)),
        users=max(20, round(USERS_PER_SCALE * scale)),
    )


def days(end: datetime) -> list[date]:
    """The seven Oslo days ending with the day of `end`."""
    last = oslo_day(end)
    return [last - timedelta(days=DAYS - 1 - i) for i in range(DAYS)]


def member_name(day: date) -> str:
    return f"{FOLDER}/{day:%Y%m%d}"


def archive_member(
    folder: Path, day: date, scale: float, seed: int, end: datetime
) -> tuple[TarMember, Tally]:
    """One daily file of the archive, written to a `.part` file in `folder` (run in a worker;
    `write_archive` compresses the members into the archive)."""
    lines, tally, bad = _day(day, scale, seed, min(oslo_day_start(day) + DAY, epoch(end)))
    name = member_name(day)
    if bad:
        tally.bad_lines[f"{ARCHIVE} :: {name}"] = bad
    piece = folder / f"{ARCHIVE}.{day:%Y%m%d}.part"
    with piece.open("wb") as out:
        out.writelines(lines)
    return TarMember(name, piece), tally


def write_archive(folder: Path, members: list[TarMember], end: datetime) -> Path:
    return write_tar_gz(folder / ARCHIVE, FOLDER, members, end)


def write_adressa_day(folder: Path, day: date, scale: float, seed: int) -> dict:
    """Write the whole Oslo day `day` as a loose daily file `YYYYMMDD` in `folder`; return its
    counts (a publisher entry of the report, plus `bad_lines`)."""
    lines, tally, bad = _day(day, scale, seed, oslo_day_start(day) + DAY)
    path = folder / f"{day:%Y%m%d}"
    part = part_path(path)
    with part.open("wb") as out:
        for view in lines:
            out.write(view)
    os.replace(part, path)
    return {**as_report(tally), "bad_lines": bad}


def _escaped(words: tuple[str, ...] | list[str]) -> str:
    """A SQL list of words as they appear inside JSON strings (non-ASCII as `\\u` escapes)."""
    return sql_list(json.dumps(w)[1:-1] for w in words)


def _day(day: date, scale: float, seed: int, stop: int) -> tuple[list[memoryview], Tally, int]:
    """The lines of one daily file (events from Oslo midnight up to `stop`), its counts and the
    number of bad lines in it."""
    p = plan(scale)
    start = oslo_day_start(day)
    length = max(0, stop - start)
    total = p.article_events + p.other_events
    bad = int(day.toordinal() % 2 == 0 and total >= BAD_LINE_MIN_LINES)
    con = connect(seed)
    _events(con, p, day, start, length)
    _users(con, seed)
    _articles(con, p, seed)
    lines = text(con, _lines(p, day, bad), order_by="k")
    tally = Tally(
        impressions=p.article_events,
        candidates=p.article_events,
        clicks=p.article_events,
        articles=column(con, "select distinct id from articles join events using (n)"),
        users=column(
            con, "select distinct user_key from events join users using (u) where is_article"
        ),
    )
    con.close()
    return lines, tally, bad


def _events(con: duckdb.DuckDBPyConnection, p: Plan, day: date, start: int, length: int) -> None:
    """Who read what when, in file order: events follow the clock with a minute of jitter (so
    the file is not in time order), article events spread evenly among the others. The first
    event opens the file at Oslo midnight (+2 s), the last closes it 7 s before its end. A tenth
    of article reads repeat the reader and article of the previous one."""
    total = p.article_events + p.other_events
    day_key = day.toordinal() * 100_000_000
    first, last = start + min(2, length), start + length - min(7, length)
    latest = max(start, start + length - 1)
    con.execute(f"""
        create table events as
        with base as (
            select k, {day_key} + k as g,
                (k + 1) * {p.article_events} // {total} > k * {p.article_events} // {total}
                    as is_article,
                k * {p.article_events} // {total} as a
            from range({total}) r(k)
        ),
        keyed as (
            select *,
                case k when 0 then {first} when {total - 1} then {last}
                    else greatest({start}, least({latest},
                        {start} + k * {length} // {total} + randint('adr-jitter', g, 121) - 60))
                end as t,
                {day_key} + case when a > 0 and rand('adr-repeat', g) < 0.1 then a - 1 else a end
                    as read_key
            from base
        )
        select k, g, is_article, a, t,
            floor({p.users} * pow(case when is_article then rand('adr-user', read_key)
                else rand('adr-visitor', g) end, 2))::bigint as u,
            case when is_article then
                floor(({start} + (read_key - {day_key}) * {length} // {p.article_events} - 180)
                    / {p.period})::bigint - 1
                - floor({p.lookback} * pow(rand('adr-lag', read_key), 3))::bigint end as n
        from keyed
    """)


def _users(con: duckdb.DuckDBPyConnection, seed: int) -> None:
    """The readers of this day; a pure function of the user number."""
    con.execute(f"""
        create table users as
        select u, 'cx:' || mix(hash({int(seed)}, 'adr-uid', u))::varchar
                || ':' || left(md5('adressa-user:{int(seed)}:' || u), 12) as user_key,
            pick({_structs("device", "os", vocabulary.ADRESSA_DEVICES)}, 'adr-device', u) as device,
            pick({_structs("region", "city", vocabulary.ADRESSA_PLACES)}, 'adr-place', u) as place
        from (select distinct u from events)
    """)


def _structs(first: str, second: str, pairs: tuple[tuple[str, str], ...]) -> str:
    items = [f"{{'{first}': {literal(a)}, '{second}': {literal(b)}}}" for a, b in pairs]
    return "[" + ", ".join(items) + "]"


def _articles(con: duckdb.DuckDBPyConnection, p: Plan, seed: int) -> None:
    """The JSON fragments of every article read this day; a pure function of the article number."""
    norwegian = _escaped(vocabulary.NORWEGIAN)
    ascii_words = sql_list(w for w in vocabulary.NORWEGIAN if w.isascii())
    authors = _escaped(vocabulary.ADRESSA_AUTHORS)
    sections = _structs("cat", "sub", vocabulary.ADRESSA_SECTIONS)
    con.execute(f"""
        create table articles as
        with base as (
            select n,
                floor(({p.period}) * (n + rand('adr-published', n)))::bigint as published,
                pick({sections}, 'adr-section', n) as section,
                replace(words({ascii_words}, 'adr-slug', n, 3 + randint('adr-slug-n', n, 4)),
                    ' ', '-') as slug,
                words({ascii_words}, 'adr-keyword', n, 3 + randint('adr-keyword-n', n, 4))
                    as keywords
            from (select distinct n from events where is_article)
        )
        select n,
            left(sha256('adressa:{int(seed)}:' || n), 40) as id,
            section,
            capitalized(words({norwegian}, 'adr-title', n, 4 + randint('adr-title-n', n, 7)))
                as title,
            section.cat || '/' || section.sub || '/'
                || strftime(make_timestamp(published * 1000000), '%Y/%m/%d') || '/' as folder,
            slug || '-' || (10000000 + n % 9000000) || '.ece' as page,
            strftime(make_timestamp(published * 1000000), '%Y-%m-%dT%H:%M:%S.000Z')
                as publishtime,
            case when rand('adr-has-keywords', n) < 0.8
                then replace(keywords, ' ', ',') end as keywords,
            case when rand('adr-has-author', n) < 0.85 then '["'
                || pick({authors}, 'adr-author', n)
                || case when rand('adr-two-authors', n) < 0.2
                    then '", "' || pick({authors}, 'adr-author-2', n) else '' end
                || '"]' end as author,
            '[{{"item": "' || section.cat || '/' || section.sub
                || '", "groups": [{{"count": 1, "group": "taxonomy", "weight": 1.0}}]}}, '
                || '{{"item": "' || section.cat
                || '", "groups": [{{"count": 1, "group": "category", "weight": 1.0}}]}}, '
                || '{{"item": "article", "groups": [{{"count": 1, "group": "pageclass", '
                || '"weight": 1.0}}]}}]' as profile
        from base
    """)


def _lines(p: Plan, day: date, bad: int) -> str:
    """Events as JSON lines in the key order of the real samples; with `bad`, the first half of
    one article event's line follows it."""
    place = """case when rand('adr-place-known', g) < 0.88 then
        '"city": "' || users.place.city || '", ' end"""
    active = """case when rand('adr-active-known', g) < {share} then
        '"activeTime": ' || (1 + floor(300 * pow(rand('adr-active', g), 2))::int) || ', ' end"""
    article = f"""concat('{{',
        '"profile": ', a.profile, ', ',
        {active.format(share=0.65)},
        '"canonicalUrl": "http://www.adressa.no/', a.folder, capitalized(a.page), '", ',
        '"referrerHostClass": "' || referrer || '", ',
        '"sessionStop": ', session_stop, ', ',
        '"userId": "', users.user_key, '", ',
        '"publishtime": "', a.publishtime, '", ',
        '"sessionStart": ', session_start, ', ',
        '"referrerUrl": "' || referrer_url || '", ',
        '"keywords": "' || a.keywords || '", ',
        case when rand('adr-category1', g) < 0.5 then
            '"category1": "' || a.section.cat || '|' || a.section.sub || '", ' end,
        '"id": "', a.id, '", ',
        '"eventId": ', event_id, ', ',
        {place},
        '"title": "', a.title, '", ',
        '"url": "http://adressa.no/', a.folder, a.page, '", ',
        case when rand('adr-place-known', g) < 0.88 then
            '"country": "no", "region": "' || users.place.region || '", ' end,
        '"author": ' || a.author || ', ',
        '"referrerSearchEngine": "' || search_engine || '", ',
        '"referrerSocialNetwork": "' || social_network || '", ',
        '"deviceType": "', users.device.device, '", ',
        '"time": ', e.t, ', ',
        '"os": "', users.device.os, '"}}')"""
    front = f"""concat('{{',
        '"eventId": ', event_id, ', ',
        {place},
        {active.format(share=0.8)},
        '"url": "', front_url, '", ',
        '"referrerHostClass": "' || referrer || '", ',
        case when rand('adr-place-known', g) < 0.88 then
            '"region": "' || users.place.region || '", ' end,
        '"time": ', e.t, ', ',
        '"userId": "', users.user_key, '", ',
        '"sessionStart": ', session_start, ', ',
        '"deviceType": "', users.device.device, '", ',
        '"sessionStop": ', session_stop, ', ',
        case when rand('adr-place-known', g) < 0.88 then '"country": "no", ' end,
        '"os": "', users.device.os, '"}}')"""
    sections = sql_list(sorted({s for s, _ in vocabulary.ADRESSA_SECTIONS}))
    event_base = (day.toordinal() - 736000) * 10_000_000
    return f"""
        with enriched as (
            select e.*, {event_base} + k as event_id,
                case when rand('adr-session-start', g) < 0.1 then 'true' else 'false' end
                    as session_start,
                case when rand('adr-session-stop', g) < 0.1 then 'true' else 'false' end
                    as session_stop,
                case when rand('adr-referrer-known', g) < 0.92 then pick(['direct', 'direct',
                    'internal', 'internal', 'search', 'social'], 'adr-referrer', g) end
                    as referrer,
                case when rand('adr-front-url', g) < 0.7 then 'http://adressa.no'
                    when rand('adr-front-url', g) < 0.75 then 'http://adressa.no/'
                    when rand('adr-front-url', g) < 0.8 then 'https://www.adressa.no/'
                    else 'http://adressa.no/' || pick({sections}, 'adr-front-section', g)
                end as front_url
            from events e
        ),
        referred as (
            select *,
                case when rand('adr-referrer-url', g) < 0.7 then case referrer
                    when 'internal' then 'http://adressa.no'
                    when 'search' then 'http://www.google.no/'
                    when 'social' then 'http://m.facebook.com/' end end as referrer_url,
                case when referrer = 'search' then pick(['Google', 'Internal'],
                    'adr-search-engine', g) end as search_engine,
                case when referrer = 'social' then 'Facebook' end as social_network
            from enriched
        ),
        lines as (
            select k, e.is_article and e.a = {p.article_events // 2} and {bool(bad)} as broken,
                case when e.is_article then {article} else {front} end as line
            from referred e join users using (u) left join articles a using (n)
        )
        select line || chr(10)
            || case when broken then left(line, length(line) // 2) || chr(10) else '' end,
            k
        from lines
    """
