"""Remove what no reader may see: leftovers of a killed run and files of superseded loads.

Runs at the start of every load and after it, inside the publisher's lock. Each removal takes
away only something no reader sees (docs/lake.md), so a kill during cleanup is harmless too.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from ingestion.inventory import INVENTORY_TABLE
from ingestion.lake import temporary
from ingestion.lake.rules import connect, table_ready
from ingestion.layout import Layout, dataset_name

# `<load_id>.<file_id>.parquet` (data and inventory) and `<pipeline>__<load_id>__<hash>.jsonl`
_DATA_FILE = re.compile(r"^(\d+\.\d+)\.")
_STATE_FILE = re.compile(r"^.+__(\d+\.\d+)__[0-9a-f]+\.jsonl$")
STATE_FOLDER = "_dlt_pipeline_state"


def clean(layout: Layout, publisher: str) -> list[Path]:
    """Delete, in `lake/raw_<publisher>/`: the dataset folder itself if dlt never wrote its
    `init` (a first load killed before it; dlt would refuse to create the folder again), every
    temporary file of a killed write, then the files of loads that never finished (by name,
    unread: a lake written before writes were atomic may hold torn ones) and their pipeline
    state (dlt would restore its state from it), then the Parquet files of finished loads no
    longer live (`lake_live_loads`). Returns what it removed."""
    root = layout.lake_dataset(publisher)
    if not root.is_dir():
        return []
    if not (root / "init").is_file():
        shutil.rmtree(root)
        return [root]
    removed = _remove([p for p in root.rglob(temporary.GLOB) if p.is_file()])
    removed += _remove([p for p in (root / "_dlt_loads").glob("*.jsonl") if _torn(p)])
    with connect(layout) as con:
        dataset = [dataset_name(publisher)]
        finished: set[str] = set()
        if con.execute("select lake_has_loads(?)", dataset).fetchall()[0][0]:
            finished = {
                r[0] for r in con.execute("from lake_finished_loads(?)", dataset).fetchall()
            }
        removed += _remove(_files_of_loads_not_in(root, finished, state=True))
        if table_ready(con, publisher, INVENTORY_TABLE):
            live = {r[0] for r in con.execute("from lake_live_loads(?)", dataset).fetchall()}
            removed += _remove(_files_of_loads_not_in(root, live, state=False))
    return removed


def _files_of_loads_not_in(root: Path, loads: set[str], state: bool) -> list[Path]:
    """Data and inventory files of other loads; with `state`, their pipeline state too."""
    found = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if folder.name == STATE_FOLDER and state:
            found += [
                p
                for p in folder.glob("*.jsonl")
                if (m := _STATE_FILE.match(p.name)) and m.group(1) not in loads
            ]
        elif not folder.name.startswith("_dlt"):
            found += [
                p
                for p in folder.glob("*.parquet")
                if (m := _DATA_FILE.match(p.name)) and m.group(1) not in loads
            ]
    return found


def _torn(record: Path) -> bool:
    """A load record that is not one whole JSON object: never committed."""
    try:
        return not isinstance(json.loads(record.read_bytes()), dict)
    except ValueError:
        return True


def _remove(paths: list[Path]) -> list[Path]:
    for path in paths:
        path.unlink(missing_ok=True)
    return paths
