"""The lake's inventory: for every file of the landing folder, the load holding its rows.

Each load writes the whole inventory to the `source_files` table; the newest finished load's is
the current one (docs/lake.md). It also remembers each file's content (size and hash) by its
size and mtime, so an unchanged file is never hashed again.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingestion.lake.rules import connect
from ingestion.layout import Layout, dataset_name

INVENTORY_TABLE = "source_files"


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    """Size and mtime of the file when it was last looked at."""
    content: str | None
    """Size and hash of its bytes (`ingestion.identity`); None in inventories written before
    files were identified by content."""
    rows_load_id: str | None
    """The load whose rows are its current content; None for a duplicate (its rows are those of
    `duplicate_of`)."""
    duplicate_of: str | None = None


def finished_loads(layout: Layout, publisher: str) -> list[str]:
    """Load ids dlt recorded as finished, oldest first."""
    with connect(layout) as con:
        if not con.execute("select lake_has_loads(?)", [dataset_name(publisher)]).fetchall()[0][0]:
            return []
        rows = con.execute(
            "select load_id from lake_finished_loads(?) order by recency desc",
            [dataset_name(publisher)],
        ).fetchall()
    return [load_id for (load_id,) in rows]


def current_inventory(layout: Layout, publisher: str) -> dict[str, Entry]:
    """The inventory written by the newest finished load (empty if nothing was ever loaded)."""
    with connect(layout) as con:
        if not con.execute(
            "select lake_table_ready(?, ?)", [dataset_name(publisher), INVENTORY_TABLE]
        ).fetchall()[0][0]:
            return {}
        rows = con.execute(
            "select source_file, fingerprint, content, rows_load_id, duplicate_of "
            "from lake_current_inventory(?)",
            [dataset_name(publisher)],
        ).fetchall()
    return {name: Entry(*entry) for name, *entry in rows}
