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
from ingestion.lake.rules import install_lake_rules
from ingestion.landing import Member, SourceFile, iter_members
from ingestion.layout import DATA_DIR_ENV, DataDirError, Layout
from ingestion.pipeline import run_publisher
from ingestion.publishers import PUBLISHERS, REGISTRY, Publisher, publisher
from ingestion.report import LoadReport
from ingestion.snapshot import Snapshot, snapshot, stray_files

# The raw formats, as the readers define them (pyarrow schemas and MIND's TSV columns).
_RAW_FORMATS = {
    "EBNERD_SCHEMAS": ("ebnerd", "SCHEMAS"),
    "MIND_BEHAVIORS_COLUMNS": ("mind", "BEHAVIORS_COLUMNS"),
    "MIND_NEWS_COLUMNS": ("mind", "NEWS_COLUMNS"),
}


def __getattr__(name: str) -> Any:
    if name not in _RAW_FORMATS:
        raise AttributeError(f"module 'ingestion' has no attribute {name!r}")
    from importlib import import_module

    module, attribute = _RAW_FORMATS[name]
    return getattr(import_module(f"ingestion.readers.{module}"), attribute)


__all__ = [
    "DATA_DIR_ENV",
    "EBNERD_SCHEMAS",
    "MIND_BEHAVIORS_COLUMNS",
    "MIND_NEWS_COLUMNS",
    "PUBLISHERS",
    "REGISTRY",
    "BadInputError",
    "ConflictingFilesError",
    "DataDirError",
    "Layout",
    "LoadReport",
    "Member",
    "Publisher",
    "Release",
    "Snapshot",
    "SourceFile",
    "SourceFileError",
    "describe_failure",
    "install_lake_rules",
    "iter_members",
    "publisher",
    "release",
    "release_for_dataset",
    "release_for_file",
    "releases",
    "run_publisher",
    "snapshot",
    "stray_files",
]
