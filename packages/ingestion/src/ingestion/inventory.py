"""The lake's inventory: which source file's rows are current, and which loads finished.

A row is visible when `(_source_file, _dlt_load_id)` is listed in the `source_files` table of the
newest finished load (docs/lake.md). The dbt sources apply the same rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingestion.layout import Layout

INVENTORY_TABLE = "source_files"
_LOAD_FILE = re.compile(r"^(\d+\.\d+)\.")


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    rows_load_id: str


def finished_loads(layout: Layout, publisher: str) -> list[str]:
    """Load ids with status 0 in `_dlt_loads`, oldest first."""
    loads = layout.lake_dataset(publisher) / "_dlt_loads"
    if not any(loads.glob("*.jsonl")):
        return []
    with duckdb.connect() as con:
        rows = con.execute(
            "select load_id from read_json(?, columns = {load_id: 'varchar', status: 'bigint'}) "
            "where status = 0 order by cast(load_id as decimal(30, 10))",
            [str(loads / "*.jsonl")],
        ).fetchall()
    return [r[0] for r in rows]


def current_inventory(layout: Layout, publisher: str) -> dict[str, Entry]:
    """The inventory written by the newest finished load (empty if nothing was ever loaded)."""
    loads = finished_loads(layout, publisher)
    files = layout.lake_dataset(publisher) / INVENTORY_TABLE
    if not loads or not any(files.glob("*.parquet")):
        return {}
    with duckdb.connect() as con:
        rows = con.execute(
            "select source_file, fingerprint, rows_load_id from read_parquet(?) "
            "where _dlt_load_id = ? and source_file is not null",
            [str(files / "*.parquet"), loads[-1]],
        ).fetchall()
    return {source_file: Entry(fingerprint, load_id) for source_file, fingerprint, load_id in rows}


def prune(layout: Layout, publisher: str) -> list[Path]:
    """Delete Parquet files no visible row points to: superseded loads, older inventories and
    leftovers of loads that never finished. Call only while holding the publisher's lock."""
    loads = finished_loads(layout, publisher)
    if not loads:
        return []
    keep = {loads[-1]} | {e.rows_load_id for e in current_inventory(layout, publisher).values()}
    removed = []
    for table_dir in sorted(layout.lake_dataset(publisher).iterdir()):
        if not table_dir.is_dir() or table_dir.name.startswith("_dlt"):
            continue
        for path in table_dir.glob("*.parquet"):
            match = _LOAD_FILE.match(path.name)
            if match and match.group(1) not in keep:
                path.unlink()
                removed.append(path)
    return removed


def visible_sql(layout: Layout, publisher: str, table: str) -> str:
    """A DuckDB query over the visible rows of one raw table: what dbt's sources read."""
    root = layout.lake_dataset(publisher).as_posix()
    return f"""
        with finished as (
            select max(cast(load_id as decimal(30, 10))) as load_id
            from read_json('{root}/_dlt_loads/*.jsonl',
                           columns = {{load_id: 'varchar', status: 'bigint'}})
            where status = 0
        ),
        current_files as (
            select source_file, rows_load_id
            from read_parquet('{root}/{INVENTORY_TABLE}/*.parquet')
            where cast(_dlt_load_id as decimal(30, 10)) = (select load_id from finished)
        )
        select rows.*
        from read_parquet('{root}/{table}/*.parquet', union_by_name = true) as rows
        semi join current_files
            on rows._source_file = current_files.source_file
            and rows._dlt_load_id = current_files.rows_load_id
    """
