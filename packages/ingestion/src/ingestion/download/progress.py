"""Progress of a download: a rich bar on a terminal, plain lines anywhere else (logs, CI)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Protocol, TextIO

from rich.console import Console
from rich.filesize import decimal
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)


class Reporter(Protocol):
    def note(self, message: str) -> None:
        """A line about the download (a retry, a restart, a mirror)."""

    def start(self, name: str, total: int | None, done: int) -> None:
        """Bytes start flowing; `done` were already in the `.part` file."""

    def advance(self, size: int) -> None: ...

    def stop(self) -> None:
        """The transfer ended, finished or not."""


def reporter_for(stream: TextIO = sys.stderr) -> Reporter:
    console = Console(file=stream)
    return RichReporter(console) if console.is_terminal else PlainReporter(stream)


class RichReporter:
    """A bar with size, rate and time left."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._task: TaskID | None = None

    def note(self, message: str) -> None:
        self._console.print(message, markup=False, highlight=False)

    def start(self, name: str, total: int | None, done: int) -> None:
        self._progress.start()
        self._task = self._progress.add_task(name, total=total, completed=done)

    def advance(self, size: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, size)

    def stop(self) -> None:
        self._progress.stop()
        if self._task is not None:
            self._progress.remove_task(self._task)
            self._task = None


class PlainReporter:
    """One line every `every` seconds and at the end: size, rate and time left."""

    def __init__(
        self,
        stream: TextIO,
        every: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream
        self._every = every
        self._clock = clock
        self._name = ""
        self._total: int | None = None
        self._done = 0
        self._resumed = 0
        self._started = 0.0
        self._shown = 0.0

    def note(self, message: str) -> None:
        print(message, file=self._stream, flush=True)

    def start(self, name: str, total: int | None, done: int) -> None:
        self._name, self._total, self._done, self._resumed = name, total, done, done
        self._started = self._shown = self._clock()
        size = decimal(total) if total is not None else "unknown size"
        resumed = f", resuming at {decimal(done)}" if done else ""
        self.note(f"{name}: {size}{resumed}")

    def advance(self, size: int) -> None:
        self._done += size
        now = self._clock()
        if now - self._shown >= self._every:
            self._shown = now
            self.note(self._line(now))

    def stop(self) -> None:
        if self._name:
            self.note(self._line(self._clock()))
            self._name = ""

    def _line(self, now: float) -> str:
        elapsed = max(now - self._started, 1e-6)
        rate = (self._done - self._resumed) / elapsed
        line = f"{self._name}: {decimal(self._done)}"
        if self._total:
            line += f" of {decimal(self._total)} ({100 * self._done / self._total:.0f}%)"
        line += f", {decimal(int(rate))}/s"
        if self._total and rate > 0 and self._done < self._total:
            line += f", {(self._total - self._done) / rate:.0f} s left"
        return line
