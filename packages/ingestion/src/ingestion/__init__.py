"""Land EB-NeRD, Adressa and MIND raw files in a Parquet lake with dlt.

This is the package's public API: other packages import only what is named here. Importing it
imports neither dlt nor pyarrow (a load does; the raw schemas are built when first asked for), so
the Dagster code location and the sensor stay light.
"""

from typing import Any

from ingestion.catalogue import Release, release, release_for_dataset, release_for_file, releases
from ingestion.errors import (
    BadInputError,
    ConflictingFilesError,
    SourceFileError,
    describe_failure,
)
from ingestion.heartbeat import HEARTBEAT_S, Heartbeat
from ingestion.lake.rules import install_lake_rules, register_lake
from ingestion.lake.store import LakeStore, lake_store
from ingestion.lake.summary import LakeSummary, TableSummary, lake_summary
from ingestion.landing import Member, SourceFile, iter_members
from ingestion.layout import DATA_DIR_ENV, LAKE_URL_ENV, DataDirError, Layout
from ingestion.pipeline import run_publisher
from ingestion.preflight import NothingToIngestError, require_data_dir, require_input
from ingestion.progress import LoadStep, Progress
from ingestion.publishers import PUBLISHERS, REGISTRY, Publisher, publisher
from ingestion.report import LoadReport
from ingestion.snapshot import Snapshot, snapshot, stray_files

# The raw formats, as the readers define them (pyarrow schemas and MIND's TSV columns), and
# progress on screen for commands (rich, imported when first asked for).
_LAZY = {
    "EBNERD_SCHEMAS": ("readers.ebnerd", "SCHEMAS"),
    "MIND_BEHAVIORS_COLUMNS": ("readers.mind", "BEHAVIORS_COLUMNS"),
    "MIND_NEWS_COLUMNS": ("readers.mind", "NEWS_COLUMNS"),
    "Display": ("console", "Display"),
    "display": ("console", "display"),
    "load_display": ("console", "load_display"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'ingestion' has no attribute {name!r}")
    from importlib import import_module

    module, attribute = _LAZY[name]
    return getattr(import_module(f"ingestion.{module}"), attribute)


__all__ = [
    "DATA_DIR_ENV",
    "EBNERD_SCHEMAS",
    "HEARTBEAT_S",
    "LAKE_URL_ENV",
    "MIND_BEHAVIORS_COLUMNS",
    "MIND_NEWS_COLUMNS",
    "PUBLISHERS",
    "REGISTRY",
    "BadInputError",
    "ConflictingFilesError",
    "DataDirError",
    "Display",
    "Heartbeat",
    "LakeStore",
    "LakeSummary",
    "Layout",
    "LoadReport",
    "LoadStep",
    "Member",
    "NothingToIngestError",
    "Progress",
    "Publisher",
    "Release",
    "Snapshot",
    "SourceFile",
    "SourceFileError",
    "TableSummary",
    "describe_failure",
    "display",
    "install_lake_rules",
    "iter_members",
    "lake_store",
    "lake_summary",
    "load_display",
    "publisher",
    "register_lake",
    "release",
    "release_for_dataset",
    "release_for_file",
    "releases",
    "require_data_dir",
    "require_input",
    "run_publisher",
    "snapshot",
    "stray_files",
]
