"""Before a load from the command line: the data directory exists and something is there to load.

A misspelled `$NEWSREC_DATA_DIR` would otherwise be created empty, and the load would report
success over nothing; both cases stop with one line that names the directory and what to run."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from ingestion.inventory import finished_loads
from ingestion.layout import DATA_DIR_ENV, DataDirError, Layout
from ingestion.snapshot import snapshot

GET_DATA = (
    "generate sample data with `make sample` (newsrec-sample), or fetch a release with "
    "`make download DATASET=<release>` (newsrec-download; `make download` lists them)"
)


class NothingToIngestError(RuntimeError):
    """No publisher has downloads to read or a lake to update."""


def require_data_dir(layout: Layout) -> None:
    """Raise `DataDirError` naming the directory (and a near match) when it does not exist."""
    if layout.data_dir.is_dir():
        return
    parent = layout.data_dir.parent
    siblings = [p.name for p in parent.iterdir() if p.is_dir()] if parent.is_dir() else []
    close = difflib.get_close_matches(layout.data_dir.name, siblings, n=1, cutoff=0.6)
    hint = f" (did you mean {parent / close[0]}?)" if close else ""
    raise DataDirError(
        f"no data directory at {layout.data_dir}{hint}: set {DATA_DIR_ENV} to an existing "
        f"one, or {GET_DATA}"
    )


def require_input(layout: Layout, publishers: Sequence[str]) -> None:
    """Raise unless the data directory exists and at least one of `publishers` has downloads
    or landed data (an emptied folder still has a load to make: its rows drop out)."""
    require_data_dir(layout)
    for name in publishers:
        if snapshot(layout, name).files or finished_loads(layout, name):
            return
    folders = ", ".join(f"{name}/" for name in publishers)
    raise NothingToIngestError(
        f"nothing to ingest: no downloads in {layout.raw_download_root} ({folders}) and "
        f"nothing landed yet; {GET_DATA}"
    )
