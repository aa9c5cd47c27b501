"""Remove what no reader may see: leftovers of a killed run and files of superseded loads.

Runs at the start of every load and after it, inside the publisher's lock. Each removal takes
away only something no reader sees (docs/lake.md), so a kill during cleanup is harmless too.
"""

from __future__ import annotations

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
    temporary file of a killed write, Parquet files of loads that are neither finished and live
    (`lake_live_loads`) nor unfinished, and pipeline state of loads that never finished (dlt
    would restore its state from them). Returns what it removed."""
    root = layout.lake_dataset(publisher)
    if not root.is_dir():
        return []
    if not (root / "init").is_file():
        shutil.rmtree(root)
        return [root]
    removed = [p for p in root.rglob(temporary.GLOB) if p.is_file()]
    finished, live = _loads(layout, publisher)
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if folder.name == STATE_FOLDER:
            removed += [
                p
                for p in folder.glob("*.jsonl")
                if (m := _STATE_FILE.match(p.name)) and m.group(1) not in finished
            ]
        elif not folder.name.startswith("_dlt"):
            removed += [
                p
                for p in folder.glob("*.parquet")
                if (m := _DATA_FILE.match(p.name)) and m.group(1) not in live
            ]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def _loads(layout: Layout, publisher: str) -> tuple[set[str], set[str]]:
    """Finished loads, and the live ones whose files stay (none before a first finished load)."""
    dataset = dataset_name(publisher)
    with connect(layout) as con:
        if not table_ready(con, publisher, INVENTORY_TABLE):
            return set(), set()
        finished = {r[0] for r in con.execute("from lake_finished_loads(?)", [dataset]).fetchall()}
        live = {r[0] for r in con.execute("from lake_live_loads(?)", [dataset]).fetchall()}
    return finished, live
