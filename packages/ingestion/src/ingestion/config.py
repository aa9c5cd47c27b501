"""Where the data lives. Read from the environment at call time, never at import."""

from __future__ import annotations

import os
from pathlib import Path

PUBLISHERS: tuple[str, ...] = ("ebnerd", "adressa", "mind")
DATA_DIR_ENV = "NEWSREC_DATA_DIR"


def data_dir() -> Path:
    """`$NEWSREC_DATA_DIR`, or `./data` relative to the current directory."""
    return Path(os.environ.get(DATA_DIR_ENV, "data")).expanduser().resolve()


def raw_download_dir(publisher: str, base: Path | None = None) -> Path:
    """The landing zone of one publisher's downloads: `<data>/raw-download/<publisher>`."""
    return (base or data_dir()) / "raw-download" / publisher


def lake_dir(base: Path | None = None) -> Path:
    """Root of the Parquet lake, `<data>/lake`; each publisher is a `raw_<publisher>` dataset."""
    return (base or data_dir()) / "lake"


def dataset_name(publisher: str) -> str:
    return f"raw_{publisher}"


def check_publisher(publisher: str) -> str:
    if publisher not in PUBLISHERS:
        raise ValueError(
            f"unknown publisher {publisher!r}; expected one of {', '.join(PUBLISHERS)}"
        )
    return publisher
