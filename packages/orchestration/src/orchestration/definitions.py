"""The code location: `orchestration.definitions:defs`, everything under `orchestration/defs/`."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from ingestion import Layout


@dg.definitions
def defs() -> dg.Definitions:
    # The entry point of every Dagster process (UI, daemon, run and step workers): the data
    # directory is resolved once here and handed to the resources and to dbt through the
    # environment, so an unset $NEWSREC_DATA_DIR means the repository's data/ everywhere.
    Layout.from_env().export()
    return dg.load_from_defs_folder(path_within_project=Path(__file__))
