"""`newsrec-sql "select …"` (`make query SQL="select …"`): one query against the warehouse,
printed as a table (or CSV), for analysts who want an answer without Python.

The warehouse is opened read-only by `open_warehouse`, the command's one way to it: a query never
changes the warehouse and never takes the writer's lock. Exit codes: 0 done, 1 the query failed
(SQL error, a statement that would write), 2 no warehouse yet or a usage error."""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TextIO

import duckdb
from ingestion import Layout, register_lake
from rich import box
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

PROG = "newsrec-sql"
NUMERIC = re.compile(r"^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|U\w*INT|FLOAT|DOUBLE|DECIMAL)")


class QueryError(Exception):
    """The query cannot run; the message says why and what to do."""


def open_warehouse(layout: Layout) -> duckdb.DuckDBPyConnection:
    """The published warehouse, `layout.warehouse`, read-only and in UTC."""
    path = layout.warehouse
    if not path.is_file():
        raise QueryError(
            f"no warehouse at {path} yet: build it with `make demo` "
            "(or `make materialize SELECT=<model>`), or set NEWSREC_DATA_DIR to where it is"
        )
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as error:
        writer = re.search(r"Conflicting lock is held in .*? \(PID (\d+)\)", str(error))
        if writer:
            raise QueryError(
                f"{path} is being written by process {writer[1]} (a build): query it again "
                "when the build has finished"
            ) from error
        raise QueryError(f"cannot open {path}: {str(error).splitlines()[0]}") from error
    register_lake(con, layout)  # the staging views read the lake
    con.execute("set TimeZone = 'UTC'")
    return con


def run(layout: Layout, sql: str, max_rows: int) -> tuple[list[str], list[str], list[tuple], bool]:
    """Column names, DuckDB types, up to `max_rows` rows, and whether there were more."""
    con = open_warehouse(layout)
    try:
        cursor = con.execute(sql)
        if cursor.description is None:
            return [], [], [], False
        names = [column[0] for column in cursor.description]
        types = [str(column[1]) for column in cursor.description]
        rows = cursor.fetchmany(max_rows + 1)
    except duckdb.Error as error:
        raise QueryError(str(error).strip().splitlines()[0]) from error
    finally:
        con.close()
    return names, types, rows[:max_rows], len(rows) > max_rows


def cell(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, float):
        return f"{value:.6g}" if abs(value) < 1e15 else repr(value)
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)


def print_table(
    names: list[str], types: list[str], rows: list[tuple], out: TextIO, more: bool, seconds: float
) -> None:
    console = Console(file=out, highlight=False)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for name, kind in zip(names, types, strict=True):
        table.add_column(name, justify="right" if NUMERIC.match(kind.upper()) else "left")
    for row in rows:
        table.add_row(*(cell(v) for v in row))
    if not console.is_terminal:  # never fold a cell in a file or a pipe
        wide = console.options.update(max_width=100_000)
        console.width = max(80, Measurement.get(console, wide, table).maximum)
    console.print(table)
    tail = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
    if more:
        tail += f" shown, more not shown (--max-rows {len(rows)})"
    console.print(f"({tail}, {seconds:.2f} s)", style="dim")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument("sql", help='one SQL statement, e.g. "select * from marts.dim_users"')
    parser.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    parser.add_argument("--max-rows", type=int, default=1000, help="rows to print (default 1000)")
    args = parser.parse_args(argv)
    if not args.sql.strip():
        parser.error("no SQL given")
    layout = Layout.from_env()
    started = time.perf_counter()
    try:
        names, types, rows, more = run(layout, args.sql, args.max_rows)
    except QueryError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        missing = not layout.warehouse.is_file()
        return 2 if missing else 1
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(names)
        writer.writerows([cell(v) if v is not None else "" for v in row] for row in rows)
    elif names:
        print_table(names, types, rows, sys.stdout, more, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
