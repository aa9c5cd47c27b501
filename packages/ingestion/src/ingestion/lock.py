"""One ingestion per publisher at a time: runs for different publishers proceed in parallel."""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)


@contextmanager
def publisher_lock(lake: Path, publisher: str) -> Iterator[None]:
    lake.mkdir(parents=True, exist_ok=True)
    with (lake / f".raw_{publisher}.lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info("waiting for another %s ingestion to finish", publisher)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
