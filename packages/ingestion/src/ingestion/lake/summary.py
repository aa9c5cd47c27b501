"""What the lake holds for a publisher now: its visible rows per table, their columns, and the
source files and Parquet files behind them — whatever the last run did (a run with nothing new
still reports the whole lake)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

import duckdb

from ingestion.inventory import current_inventory, finished_loads
from ingestion.lake.rules import connect, table_ready
from ingestion.lake.store import lake_store
from ingestion.layout import Layout, dataset_name
from ingestion.lock import publisher_lock
from ingestion.publishers import publisher as describe


@dataclass(frozen=True)
class TableSummary:
    name: str
    rows: int
    columns: tuple[tuple[str, str], ...]
    """(name, DuckDB type) of every column, the provenance columns included."""
    parquet_files: int
    parquet_bytes: int


@dataclass(frozen=True)
class LakeSummary:
    publisher: str
    load_id: str | None
    """The newest finished load: the inventory readers go by (None if nothing ever loaded)."""
    source_files: tuple[str, ...]
    """The downloads whose rows are visible, by path in `raw-download/<publisher>/`."""
    tables: tuple[TableSummary, ...]

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables)


def lake_summary(layout: Layout, publisher: str) -> LakeSummary:
    """The visible content of `lake/raw_<publisher>/`, by the readers' rule
    (`lake_visible_rows`).

    Taken under the publisher's lock, so a load in progress cannot delete files mid-count."""
    tables = describe(publisher).tables
    with publisher_lock(layout, publisher):
        loads = finished_loads(layout, publisher)
        inventory = current_inventory(layout, publisher)
        if not loads or not inventory:
            return LakeSummary(publisher, loads[-1] if loads else None, (), ())
        visible_loads = {e.rows_load_id for e in inventory.values() if e.rows_load_id}
        files = lake_store(layout).files(publisher)
        with connect(layout) as con:
            summaries = tuple(
                _table(con, files, publisher, table, visible_loads) for table in tables
            )
    held = tuple(sorted(name for name, entry in inventory.items() if name is not None))
    return LakeSummary(publisher, loads[-1], held, summaries)


def _table(
    con: duckdb.DuckDBPyConnection,
    files: dict[str, int],
    publisher: str,
    table: str,
    visible_loads: set[str],
) -> TableSummary:
    """`files`: the dataset's files by name inside it, with their sizes (`LakeStore.files`)."""
    held = [
        size
        for name, size in files.items()
        if posixpath.dirname(name) == table and _load_of(posixpath.basename(name)) in visible_loads
    ]
    if not held or not table_ready(con, publisher, table):
        return TableSummary(table, 0, (), 0, 0)
    where = [dataset_name(publisher), table]
    rows = con.execute("select count(*) from lake_visible_rows(?, ?)", where).fetchone()[0]
    shape = con.execute("select * from lake_visible_rows(?, ?) limit 0", where).description
    columns = tuple((name, str(kind)) for name, kind, *_ in shape)
    return TableSummary(table, rows, columns, len(held), sum(held))


def _load_of(name: str) -> str | None:
    """`<load_id>.<file_id>.parquet` → the load id (itself `<seconds>.<fraction>`); None for
    any other name (a temporary file is hidden, and ends in `.tmp`)."""
    if not name.endswith(".parquet") or name.startswith("."):
        return None
    return ".".join(name.split(".")[:2])
