"""An evaluation split as MIND ships one: a zip holding `behaviors.tsv` and `news.tsv`, so MIND's
iterators and any MIND-trained model read EB-NeRD and Adressa unchanged.

`behaviors.tsv`: five tab-separated columns, no header — impression id, user id, time as
`11/9/2019 12:05:01 AM` (MIND's `%m/%d/%Y %I:%M:%S %p`, not zero-padded), the user's history (news
ids separated by spaces, oldest first; none for Adressa, which ships no history) and the
candidates in the order shown, `<id>-1` clicked,
`<id>-0` not, the bare id where the split is unlabeled. `news.tsv`: the eight columns of MIND's
news.tsv for every article the behaviors name, empty where the publisher has no such field.

DuckDB sorts the candidates (on disk beyond its memory limit) and streams them in Arrow batches;
each impression's candidates are joined into its line with Arrow compute functions and the
characters written to the zip member as they come, so memory does not grow with the split's size.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import IO

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from research.splits import Split

BATCH_ROWS = 50_000
TIME_FORMAT = "%-m/%-d/%Y %-I:%M:%S %p"

_CANDIDATES = """
    select * from research.benchmark_impressions
    where publisher = $publisher and dataset = $dataset and split = $split
"""

# The lines of behaviors.tsv are in the order of the impressions' time, then their (numeric) ids,
# which a prediction file written for it can follow from the scores alone; within a line, the
# candidates in the order shown.
CANDIDATE_ORDER = (
    "candidates.impression_time, try_cast(candidates.impression_id as ubigint), "
    "candidates.impression_key, candidates.position"
)

# One row per candidate, sorted: the line's beginning on an impression's first candidate (null on
# the others) and the candidate's token. DuckDB sorts on disk beyond its memory limit; the rows
# of one impression are joined into its line in Python, a batch at a time.
BEHAVIORS_SQL = f"""
with
candidates as ({_CANDIDATES}),
histories as (
    select impression_key, history from research.benchmark_histories
    where publisher = $publisher
)
select
    case when candidates.position = 0 then
        concat_ws(
            chr(9),
            candidates.impression_id,
            candidates.user_id,
            strftime(candidates.impression_time, '{TIME_FORMAT}'),
            coalesce(histories.history, ''),
            ''
        )
    end as head,
    candidates.article_id
        || case when clicked then '-1' when not clicked then '-0' else '' end as item
from candidates
left join histories using (impression_key)
order by {CANDIDATE_ORDER}
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

PREDICTIONS_SQL = """
select
    case when position = 0 then impression_id || ' [' end as head,
    cast(rank as varchar) as item
from research.benchmark_baseline_ranks
where model = $model and split_number = $split_number
order by impression_time, impression_number, position
"""


def split_params(split: Split) -> dict[str, str | int]:
    return {"publisher": split.publisher, "dataset": split.dataset, "split": split.split}


def write_archive(con: duckdb.DuckDBPyConnection, split: Split, folder: Path) -> tuple[Path, int]:
    """`<folder>/<stem>.zip` with behaviors.tsv and news.tsv; returns it and its impressions.
    Written under a `.part` name and renamed when complete."""
    target = folder / f"{split.stem}.zip"
    partial = target.with_name(target.name + ".part")
    params = split_params(split)
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("behaviors.tsv", "w", force_zip64=True) as member:
            impressions = write_grouped(con, BEHAVIORS_SQL, params, member, " ", "\n")
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
    params = {"model": model, "split_number": split.split_number}
    with partial.open("wb") as file:
        lines = write_grouped(con, PREDICTIONS_SQL, params, file, ",", "]\n")
    os.replace(partial, target)
    return target, lines


def write_lines(
    con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, str | int], out: IO[bytes]
) -> int:
    """Stream a one-column query of newline-terminated lines into `out`; returns the lines."""
    reader = con.sql(sql, params=params).to_arrow_reader(BATCH_ROWS)
    lines = 0
    for batch in reader:
        column = batch.column(0)
        lines += len(column)
        out.write(characters(column))
    return lines


def write_grouped(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: dict[str, str | int],
    out: IO[bytes],
    separator: str,
    tail: str,
) -> int:
    """Stream a sorted (head, item) query into `out` as one line per group: a group starts at a
    row whose head is not null, and its line is the head, its items joined by `separator`, and
    `tail`. Returns the lines. A group that runs past the end of a batch is carried over."""
    reader = con.sql(sql, params=params).to_arrow_reader(BATCH_ROWS)
    pending_head: pa.Scalar | None = None
    pending: list[pa.Array] = []
    lines = 0
    for batch in reader:
        heads, items = batch.column(0), batch.column(1)
        starts = pc.indices_nonzero(pc.is_valid(heads)).to_numpy()
        if len(starts) == 0:
            pending.append(items)
            continue
        if pending_head is not None:
            pending.append(items.slice(0, starts[0]))
            out.write(
                characters(_lines([pending_head], [pa.concat_arrays(pending)], separator, tail))
            )
            lines += 1
        complete = starts[:-1]
        if len(complete):
            grouped = pa.ListArray.from_arrays(
                pa.array(np.append(complete, starts[-1]) - complete[0], pa.int32()),
                items.slice(complete[0], starts[-1] - complete[0]),
            )
            out.write(characters(_joined(heads.take(complete), grouped, separator, tail)))
            lines += len(complete)
        pending_head, pending = heads[starts[-1]], [items.slice(starts[-1])]
    if pending_head is not None:
        out.write(characters(_lines([pending_head], [pa.concat_arrays(pending)], separator, tail)))
        lines += 1
    return lines


def _lines(heads: list[pa.Scalar], items: list[pa.Array], separator: str, tail: str) -> pa.Array:
    grouped = pa.ListArray.from_arrays(
        pa.array([0, len(items[0])], pa.int32()), pa.concat_arrays(items)
    )
    return _joined(pa.array([h.as_py() for h in heads], pa.string()), grouped, separator, tail)


def _joined(heads: pa.Array, grouped: pa.ListArray, separator: str, tail: str) -> pa.Array:
    return pc.binary_join_element_wise(heads, pc.binary_join(grouped, separator), tail, "")


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
