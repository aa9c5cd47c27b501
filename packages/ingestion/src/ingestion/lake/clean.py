"""Remove what no reader may see: leftovers of a killed run and files of superseded loads.

Runs at the start of every load and after it, inside the publisher's lock. Each removal takes
away only something no reader sees (docs/lake.md), so a kill during cleanup is harmless too. The
same on the local folder and on object storage: one listing of the dataset, then deletes by name.
"""

from __future__ import annotations

import json
import re
from fnmatch import fnmatchcase
from posixpath import basename, dirname

from ingestion.inventory import INVENTORY_TABLE
from ingestion.lake import temporary
from ingestion.lake.rules import connect, table_ready
from ingestion.lake.store import LakeStore, lake_store
from ingestion.layout import Layout, dataset_name

# `<load_id>.<file_id>.parquet` (data and inventory) and `<pipeline>__<load_id>__<hash>.jsonl`
_DATA_FILE = re.compile(r"^(\d+\.\d+)\.")
_STATE_FILE = re.compile(r"^.+__(\d+\.\d+)__[0-9a-f]+\.jsonl$")
STATE_FOLDER = "_dlt_pipeline_state"
LOADS_FOLDER = "_dlt_loads"


def clean(layout: Layout, publisher: str) -> list[str]:
    """Delete, in the lake's `raw_<publisher>/`: the dataset itself if dlt never wrote its
    `init` (a first load killed before it; dlt would refuse to create the folder again), every
    temporary file of a killed write, then the files of loads that never finished (by name,
    unread: a lake written before writes were atomic may hold torn ones) and their pipeline
    state (dlt would restore its state from it), then the Parquet files of finished loads no
    longer live (`lake_live_loads`). Returns what it removed, as the store names it."""
    store = lake_store(layout)
    if not store.has_dataset(publisher):
        return []
    names = list(store.files(publisher))
    if "init" not in names:
        return [store.remove_dataset(publisher)]
    removed = store.remove(
        publisher, [n for n in names if fnmatchcase(basename(n), temporary.GLOB)]
    )
    removed += store.remove(
        publisher,
        [n for n in names if _is_record(n) and _torn(store, publisher, n)],
    )
    with connect(layout) as con:
        dataset = [dataset_name(publisher)]
        finished: set[str] = set()
        if con.execute("select lake_has_loads(?)", dataset).fetchall()[0][0]:
            finished = {
                r[0] for r in con.execute("from lake_finished_loads(?)", dataset).fetchall()
            }
        removed += store.remove(publisher, _files_of_loads_not_in(names, finished, state=True))
        if table_ready(con, publisher, INVENTORY_TABLE):
            live = {r[0] for r in con.execute("from lake_live_loads(?)", dataset).fetchall()}
            removed += store.remove(publisher, _files_of_loads_not_in(names, live, state=False))
    return list(dict.fromkeys(removed))


def _files_of_loads_not_in(names: list[str], loads: set[str], state: bool) -> list[str]:
    """Data and inventory files of other loads (`<table>/<load>.….parquet`); with `state`,
    their pipeline state too. Temporary files (hidden names) match neither pattern."""
    found = []
    for name in sorted(names):
        folder, file = dirname(name), basename(name)
        if not folder or "/" in folder:
            continue
        if folder == STATE_FOLDER:
            if state and (m := _STATE_FILE.match(file)) and m.group(1) not in loads:
                found.append(name)
        elif (
            not folder.startswith("_dlt")
            and file.endswith(".parquet")
            and (m := _DATA_FILE.match(file))
            and m.group(1) not in loads
        ):
            found.append(name)
    return found


def _is_record(name: str) -> bool:
    return dirname(name) == LOADS_FOLDER and name.endswith(".jsonl")


def _torn(store: LakeStore, publisher: str, name: str) -> bool:
    """A load record that is not one whole JSON object: never committed."""
    try:
        return not isinstance(json.loads(store.read_bytes(publisher, name)), dict)
    except ValueError:
        return True
