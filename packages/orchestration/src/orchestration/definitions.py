"""The code location: `orchestration.definitions:defs`, everything under `orchestration/defs/`."""

from __future__ import annotations

from pathlib import Path

import dagster as dg


@dg.definitions
def defs() -> dg.Definitions:
    return dg.load_from_defs_folder(path_within_project=Path(__file__))
