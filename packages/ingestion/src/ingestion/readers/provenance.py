"""Provenance columns added to every raw table, and the batch size readers aim for."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from ingestion.landing import Origin

BATCH_ROWS = 50_000


def with_provenance(table: pa.Table, origin: Origin, rows: int | pa.Array) -> pa.Table:
    """Append `_source_file`, `_source_member`, `_dataset`, `_split` and 1-based `_row_number`
    (consecutive from `rows` when it is an int, else the given line numbers)."""
    n = table.num_rows
    if isinstance(rows, int):
        rows = consecutive(rows, n)
    return (
        table.append_column("_source_file", _constant(origin.source_file, n))
        .append_column("_source_member", _constant(origin.member, n))
        .append_column("_dataset", _constant(origin.dataset, n))
        .append_column("_split", _constant(origin.split, n))
        .append_column("_row_number", rows)
    )


def consecutive(first: int, n: int) -> pa.Array:
    """`first, first + 1, …` computed in Arrow, not in a Python loop."""
    ones = pa.nulls(n, pa.int64()).fill_null(1)
    return pc.add(pc.cumulative_sum(ones), first - 1)


def _constant(value: str | None, n: int) -> pa.Array:
    empty = pa.nulls(n, pa.string())
    return empty if value is None else empty.fill_null(value)
