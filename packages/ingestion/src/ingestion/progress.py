"""Progress of a load, reported through a callback: the library never prints.

A load says which file it reads, how many rows so far, and when it moves on to writing the lake;
a command shows it (`ingestion.display`), the Dagster raw assets log it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class LoadStep:
    """One step of a publisher's load.

    `stage` is "read" (rows of `table` from the download `file`: `rows` so far, `finished` at
    its end), "write" (dlt normalising and writing the lake) or "done"."""

    publisher: str
    stage: str
    file: str | None = None
    table: str | None = None
    rows: int = 0
    finished: bool = False


Progress = Callable[[LoadStep], None]


def no_progress(step: LoadStep) -> None:
    """The default: report nothing."""
