"""The lake's visibility rule, as DuckDB macros installed on a connection.

`rules.sql` is the only place the rule is written; everything here reads the lake through it. The
only value put into SQL text is the lake folder, as a quoted literal; every other value (dataset,
table, file names) is passed as a query parameter.
"""

from __future__ import annotations

from importlib.resources import files

import duckdb

from ingestion.layout import Layout, dataset_name

RULES_SQL = files("ingestion.lake").joinpath("rules.sql").read_text(encoding="utf-8")


def sql_literal(text: str) -> str:
    """`text` as a DuckDB string literal."""
    return "'" + text.replace("'", "''") + "'"


def install_lake_rules(con: duckdb.DuckDBPyConnection, layout: Layout) -> duckdb.DuckDBPyConnection:
    """Create the lake macros (`lake_visible_rows`, `lake_table_ready`, …) on `con`, bound to
    the lake of `layout`. In a database file they persist, so views over them keep working for
    anyone who opens it."""
    con.execute(f"create or replace macro lake_root() as {sql_literal(layout.lake.as_posix())}")
    con.execute(RULES_SQL)
    return con


def connect(layout: Layout) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the lake macros."""
    return install_lake_rules(duckdb.connect(), layout)


def table_ready(con: duckdb.DuckDBPyConnection, publisher: str, table: str) -> bool:
    rows = con.execute("select lake_table_ready(?, ?)", [dataset_name(publisher), table])
    return bool(rows.fetchall()[0][0])
