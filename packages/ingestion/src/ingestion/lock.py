"""One ingestion per publisher at a time: runs for different publishers proceed in parallel."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from filelock import FileLock, Timeout

from ingestion.layout import Layout, dataset_name

log = logging.getLogger(__name__)


@contextmanager
def publisher_lock(layout: Layout, publisher: str) -> Iterator[None]:
    """Held for the whole run; a second run of the same publisher waits for it (an OS lock, so
    a killed run releases it). Always in the local `lake/` folder, even when the lake is on
    object storage: runs on one data directory exclude each other, as on the local lake."""
    layout.lake.mkdir(parents=True, exist_ok=True)
    lock = FileLock(layout.lake / f".{dataset_name(publisher)}.lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log.info("waiting for another %s ingestion to finish", publisher)
        lock.acquire()
    try:
        yield
    finally:
        lock.release()
