"""DuckDB helpers shared by the generators.

Randomness is `hash(hash(seed, salt, key...))` (the outer hash mixes the bits; DuckDB combines
multiple arguments almost linearly): a pure function of its arguments, so a value never
depends on thread scheduling, on which process computes it or on what else was generated, and
two tasks that need the same article (in different zips or days) compute the same one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

_MACROS = """
create macro mix(h) as hash(h);
create macro rand(salt, a) as mix(hash({seed}, salt, a)) / 18446744073709551616.0;
create macro rand2(salt, a, b) as mix(hash({seed}, salt, a, b)) / 18446744073709551616.0;
create macro randint(salt, a, n) as (mix(hash({seed}, salt, a)) % cast(n as ubigint))::bigint;
create macro randint2(salt, a, b, n) as
    (mix(hash({seed}, salt, a, b)) % cast(n as ubigint))::bigint;
create macro pick(items, salt, a) as items[1 + randint(salt, a, len(items))];
create macro pick2(items, salt, a, b) as items[1 + randint2(salt, a, b, len(items))];
create macro words(items, salt, a, n) as
    array_to_string(list_transform(range(n), lambda x: pick2(items, salt, a, x)), ' ');
create macro capitalized(s) as upper(left(s, 1)) || substr(s, 2);
"""
STRIDES = "[1000000007, 1000000009, 998244353, 999999937, 2147483647, 1000000021]::bigint[]"
"""Primes larger than any catalogue: `(offset + j * stride) % n` for `j < n` visits distinct
values in a scattered order, which gives duplicate-free candidate lists without a sort."""


def connect(seed: int) -> duckdb.DuckDBPyConnection:
    """An in-memory database with the seeded random macros. One thread: the generator already
    runs one task per core, and a single-threaded scan keeps rows in the order they were made."""
    con = duckdb.connect()
    con.execute("set threads = 1")
    con.execute("set preserve_insertion_order = true")
    con.execute("set enable_progress_bar = false")
    con.execute(_MACROS.format(seed=int(seed)))
    return con


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def sql_list(values: Iterable[str | int]) -> str:
    """A DuckDB list literal of strings or integers."""
    items = [literal(v) if isinstance(v, str) else str(int(v)) for v in values]
    return "[" + ", ".join(items) + "]"


def text(
    con: duckdb.DuckDBPyConnection, query: str, order_by: str | None = None
) -> list[memoryview]:
    """The bytes of a query whose first column holds whole lines (each ending in a newline).

    An Arrow string column stores its values back to back, so each chunk's data buffer *is* the
    text of those lines: no per-row Python work. `order_by` names the column that gives the line
    order when the query should not sort itself (a DuckDB sort moves the whole wide payload);
    rows that already arrive in order, as a single-threaded scan and join probe deliver them, are
    not moved at all."""
    table = con.sql(query).to_arrow_table()
    lines = table.column(0)
    if order_by is not None:
        key = table.column(order_by)
        if not pc.all(pc.less_equal(key[:-1], key[1:])).as_py():
            # 64-bit offsets: a large day's text is more than 2 GiB once gathered in one array
            lines = lines.cast(pa.large_string()).take(pc.sort_indices(key))
    return string_buffers(lines.chunks)


def column(con: duckdb.DuckDBPyConnection, query: str) -> pa.Array:
    """The first column of a query as one Arrow array."""
    return con.sql(query).to_arrow_table().column(0).combine_chunks()


def string_buffers(chunks: Sequence[pa.Array]) -> list[memoryview]:
    views = []
    for chunk in chunks:
        if chunk.null_count:
            raise ValueError("a generated line is null")
        if not len(chunk):
            continue
        _, offsets, data = chunk.buffers()
        width = "q" if pa.types.is_large_string(chunk.type) else "i"
        positions = memoryview(offsets).cast(width)
        start, stop = positions[chunk.offset], positions[chunk.offset + len(chunk)]
        views.append(memoryview(data)[start:stop])
    return views
