"""Iterators run ahead in a background thread. zlib and pyarrow release the GIL, so inflating and
parsing the next items overlaps with what the consumer does with this one (dlt writing Parquet),
and a two-core machine is kept busy."""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Generator, Iterator
from typing import TypeVar, cast

T = TypeVar("T")
_DONE = object()
_POLL_S = 0.05


def read_ahead(items: Iterator[T], depth: int = 1) -> Generator[T, None, None]:
    """The items in order, produced up to `depth` ahead of the consumer. An error in the producer
    is raised to the consumer; a consumer that stops early stops the producer (closing `items` in
    its thread) before this generator returns, so the source can be read again after it."""
    handoff: queue.Queue[tuple[object, BaseException | None]] = queue.Queue(depth)
    stopping = threading.Event()

    def hand_over(item: object, error: BaseException | None = None) -> bool:
        while not stopping.is_set():
            try:
                handoff.put((item, error), timeout=_POLL_S)
            except queue.Full:
                continue
            return True
        return False

    def produce() -> None:
        try:
            for item in items:
                if not hand_over(item):
                    return
            hand_over(_DONE)
        except BaseException as error:  # raised again in the consumer
            hand_over(None, error)
        finally:
            if isinstance(items, Generator):
                items.close()

    worker = threading.Thread(target=produce, name="read-ahead", daemon=True)
    worker.start()
    try:
        while True:
            item, error = handoff.get()
            if error is not None:
                raise error
            if item is _DONE:
                return
            yield cast(T, item)
    finally:
        stopping.set()
        while worker.is_alive():
            with contextlib.suppress(queue.Empty):
                handoff.get_nowait()
            worker.join(_POLL_S)
