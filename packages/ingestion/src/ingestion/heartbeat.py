"""A background beat for progress on screen: a daemon thread that calls `beat` several times per
`heartbeat_s` until its context ends, so a display can say what is still running when nothing
else has printed for a while. The ingestion's progress lines and the headless Dagster run's
console both use it."""

from __future__ import annotations

import threading
from collections.abc import Callable

HEARTBEAT_S = 4.0
"""The longest a running task goes without a line on plain output."""


class Heartbeat:
    def __init__(self, beat: Callable[[], None], heartbeat_s: float, name: str) -> None:
        self._beat = beat
        self._interval = min(0.25, heartbeat_s / 4)
        self._name = name
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Heartbeat:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self._beat()
