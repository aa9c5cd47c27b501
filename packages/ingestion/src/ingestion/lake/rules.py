"""The lake's visibility rule, as DuckDB macros installed on a connection.

`rules.sql` is the only place the rule is written; everything here reads the lake through it. The
only value put into SQL text is the lake's root (a folder, or an object-storage URL), as a quoted
literal; every other value (dataset, table, file names) is passed as a query parameter.
"""

from __future__ import annotations

import os
from importlib.resources import files

import duckdb

from ingestion.lake.store import lake_store, object_store
from ingestion.layout import LAKE_URL_ENV, Layout, dataset_name

RULES_SQL = files("ingestion.lake").joinpath("rules.sql").read_text(encoding="utf-8")


def sql_literal(text: str) -> str:
    """`text` as a DuckDB string literal."""
    return "'" + text.replace("'", "''") + "'"


def install_lake_rules(con: duckdb.DuckDBPyConnection, layout: Layout) -> duckdb.DuckDBPyConnection:
    """Create the lake macros (`lake_visible_rows`, `lake_table_ready`, …) on `con`, bound to
    the lake of `layout`, after registering the filesystem DuckDB reads it through when it is on
    object storage. In a database file the macros persist, so views over them keep working for
    anyone who opens it (and, for a lake on object storage, registers the filesystem first:
    `register_lake`)."""
    store = lake_store(layout)
    store.register(con)
    con.execute(f"create or replace macro lake_root() as {sql_literal(store.root)}")
    con.execute(RULES_SQL)
    return con


def register_lake(
    con: duckdb.DuckDBPyConnection, layout: Layout | None = None
) -> duckdb.DuckDBPyConnection:
    """Let `con` read the lake of `layout`, by default `$NEWSREC_LAKE_URL` (a no-op for the local
    folder): what a reader of `warehouse.duckdb` needs before its staging views, which read the
    lake, can run."""
    url = layout.lake_url if layout is not None else os.environ.get(LAKE_URL_ENV, "").strip()
    if url:
        object_store(url).register(con)
    return con


def connect(layout: Layout) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the lake macros."""
    return install_lake_rules(duckdb.connect(), layout)


def table_ready(con: duckdb.DuckDBPyConnection, publisher: str, table: str) -> bool:
    rows = con.execute("select lake_table_ready(?, ?)", [dataset_name(publisher), table])
    return bool(rows.fetchall()[0][0])
