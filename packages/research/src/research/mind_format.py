"""An evaluation split as MIND ships one: a zip holding `behaviors.tsv` and `news.tsv`, so MIND's
iterators and any MIND-trained model read EB-NeRD and Adressa unchanged.

`behaviors.tsv`: five tab-separated columns, no header — impression id, user id, time as
`11/9/2019 12:05:01 AM` (MIND's `%m/%d/%Y %I:%M:%S %p`, not zero-padded), the user's history (news
ids separated by spaces, oldest first; none for Adressa, which ships no history) and the
candidates in the order shown, `<id>-1` clicked,
`<id>-0` not, the bare id where the split is unlabeled. `news.tsv`: the eight columns of MIND's
news.tsv for every article the behaviors name, empty where the publisher has no such field.

DuckDB builds every line, newline included; the Arrow batches it streams are written to the zip
member as they come (the characters of a batch lie back to back in one buffer), so memory does not
grow with the split's size.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import IO

import duckdb
import pyarrow as pa

from research.splits import Split

BATCH_ROWS = 50_000
TIME_FORMAT = "%-m/%-d/%Y %-I:%M:%S %p"

_CANDIDATES = """
    select * from research.benchmark_impressions
    where publisher = $publisher and dataset = $dataset and split = $split
"""

_IMPRESSIONS = f"""
    select
        impression_key,
        any_value(impression_id) as impression_id,
        any_value(user_id) as user_id,
        any_value(impression_time) as impression_time,
        string_agg(
            article_id || case when clicked then '-1' when not clicked then '-0' else '' end,
            ' ' order by position
        ) as tokens
    from ({_CANDIDATES})
    group by impression_key
"""

# the order of the lines of behaviors.tsv, and of a prediction file written for it
LINE_ORDER = "impression_time, impression_key"

BEHAVIORS_SQL = f"""
with
impressions as ({_IMPRESSIONS}),
histories as (
    select impression_key, history from research.benchmark_histories
    where publisher = $publisher
)
select
    concat_ws(
        chr(9),
        impressions.impression_id,
        impressions.user_id,
        strftime(impressions.impression_time, '{TIME_FORMAT}'),
        coalesce(histories.history, ''),
        impressions.tokens
    ) || chr(10) as line
from impressions
left join histories using (impression_key)
order by {LINE_ORDER}
"""

NEWS_SQL = f"""
with
candidates as ({_CANDIDATES}),
histories as (
    select history from research.benchmark_histories
    where publisher = $publisher
        and impression_key in (select impression_key from candidates)
        and history <> ''
),
named as (
    select article_id from candidates
    union
    select unnest(string_split(history, ' ')) as article_id from histories
),
news as (
    select * from research.benchmark_news where publisher = $publisher
)
select
    concat_ws(
        chr(9),
        named.article_id,
        coalesce(news.category, ''),
        coalesce(news.subcategory, ''),
        coalesce(news.title, ''),
        coalesce(news.abstract, ''),
        coalesce(news.url, ''),
        coalesce(news.title_entities, ''),
        coalesce(news.abstract_entities, '')
    ) || chr(10) as line
from named
left join news on named.article_id = news.article_id
order by named.article_id
"""

PREDICTIONS_SQL = f"""
with
impressions as (
    select impression_key, impression_id, impression_time from ({_CANDIDATES})
    where position = 0
),
ranks as (
    select impression_id, position, rank from research.benchmark_baseline_ranks
    where model = $model and publisher = $publisher and dataset = $dataset and split = $split
),
ranked as (
    select
        impression_id,
        '[' || string_agg(cast(rank as varchar), ',' order by position) || ']' as ranks
    from ranks
    group by impression_id
)
select impressions.impression_id || ' ' || ranked.ranks || chr(10) as line
from impressions
inner join ranked on impressions.impression_id = ranked.impression_id
order by {LINE_ORDER}
"""


def split_params(split: Split) -> dict[str, str]:
    return {"publisher": split.publisher, "dataset": split.dataset, "split": split.split}


def write_archive(con: duckdb.DuckDBPyConnection, split: Split, folder: Path) -> tuple[Path, int]:
    """`<folder>/<stem>.zip` with behaviors.tsv and news.tsv; returns it and its impressions.
    Written under a `.part` name and renamed when complete."""
    target = folder / f"{split.stem}.zip"
    partial = target.with_name(target.name + ".part")
    params = split_params(split)
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("behaviors.tsv", "w", force_zip64=True) as member:
            impressions = write_lines(con, BEHAVIORS_SQL, params, member)
        with zf.open("news.tsv", "w", force_zip64=True) as member:
            write_lines(con, NEWS_SQL, params, member)
    os.replace(partial, target)
    return target, impressions


def write_predictions(
    con: duckdb.DuckDBPyConnection, split: Split, model: str, target: Path
) -> tuple[Path, int]:
    """A baseline's ranking of a labeled split in MIND's submission format (`impid [r1,r2,...]`),
    line for line in the order of the split's behaviors.tsv."""
    partial = target.with_name(target.name + ".part")
    with partial.open("wb") as file:
        lines = write_lines(con, PREDICTIONS_SQL, {**split_params(split), "model": model}, file)
    os.replace(partial, target)
    return target, lines


def write_lines(
    con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, str], out: IO[bytes]
) -> int:
    """Stream a one-column query of newline-terminated lines into `out`; returns the lines."""
    reader = con.sql(sql, params=params).to_arrow_reader(BATCH_ROWS)
    lines = 0
    for batch in reader:
        column = batch.column(0)
        lines += len(column)
        out.write(characters(column))
    return lines


def characters(array: pa.Array) -> memoryview | bytes:
    """The UTF-8 bytes of a string array's values, back to back: its data buffer between the
    first and the last offset, without copying."""
    if array.null_count:
        raise ValueError("a line of the export is null")
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        array = array.cast(pa.large_string())
    if len(array) == 0:
        return b""
    _, offsets_buffer, data_buffer = array.buffers()
    offsets = memoryview(offsets_buffer).cast("q" if pa.types.is_large_string(array.type) else "i")
    start, end = offsets[array.offset], offsets[array.offset + len(array)]
    if data_buffer is None:
        return b""
    return memoryview(data_buffer)[start:end]
