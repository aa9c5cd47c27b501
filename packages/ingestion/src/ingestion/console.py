"""Progress on screen, for the person at the keyboard: rich bars on a terminal, plain lines
anywhere else (a pipe, a CI log), where a line about every running task comes at least every
few seconds, so no step is silent for long. Commands use it; library code reports through
callbacks (`ingestion.progress`)."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    ProgressColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress import Progress as RichProgress
from rich.text import Text

from ingestion.heartbeat import HEARTBEAT_S, Heartbeat
from ingestion.progress import LoadStep, Progress


class Display(Protocol):
    """Tasks with a count (rows, files) that grows; a final line for each."""

    def start(self, key: str, description: str, total: float | None = None) -> None: ...

    def update(self, key: str, completed: float, total: float | None = None) -> None: ...

    def finish(self, key: str, line: str) -> None: ...

    def note(self, line: str) -> None: ...


@contextmanager
def display(
    unit: str = "rows", stream: TextIO | None = None, heartbeat_s: float = HEARTBEAT_S
) -> Iterator[Display]:
    """Rich bars when `stream` (default stderr) is a terminal, plain lines otherwise."""
    stream = stream or sys.stderr
    console = Console(file=stream)
    shown: RichDisplay | PlainDisplay
    if console.is_terminal:
        shown = RichDisplay(console, unit)
    else:
        shown = PlainDisplay(stream, unit, heartbeat_s)
    with shown:
        yield shown


def load_display(shown: Display) -> Progress:
    """A `Progress` for `run_publisher` that shows each (table, file) read as a task, and the
    write to the lake."""

    def report(step: LoadStep) -> None:
        key = f"{step.publisher}/{step.table}/{step.file}"
        if step.stage == "read" and step.rows == 0 and not step.finished:
            shown.start(key, f"{step.publisher}: {step.table} from {step.file}")
        elif step.stage == "read" and not step.finished:
            shown.update(key, step.rows)
        elif step.stage == "read":
            shown.update(key, step.rows)
            shown.finish(key, f"{step.publisher}: {step.rows:,} {step.table} rows from {step.file}")
        elif step.stage == "write":
            shown.start(f"{step.publisher}/write", f"{step.publisher}: writing the lake")
        elif step.stage == "done":
            shown.finish(f"{step.publisher}/write", f"{step.publisher}: lake written")

    return report


def _timing(seconds: float, completed: float, unit: str) -> str:
    """` in 1.5 s, 45,000 rows/s` (the rate only of an open-ended count)."""
    rate = f", {completed / seconds:,.0f} {unit}/s" if completed and seconds > 0 else ""
    return f" in {seconds:.1f} s{rate}"


class _Count(ProgressColumn):
    """What was counted so far, once there is something (a task may only show its time)."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: object) -> Text:
        completed = getattr(task, "completed", 0)
        return Text(f"{completed:,.0f} {self.unit}" if completed else "")


class _Rate(ProgressColumn):
    """Units per second, from rich's own speed estimate."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: object) -> Text:
        speed = getattr(task, "speed", None)
        return Text(f"{speed:,.0f} {self.unit}/s" if speed else "", style="progress.data.speed")


class RichDisplay:
    def __init__(self, console: Console, unit: str) -> None:
        self._progress = RichProgress(
            TextColumn("{task.description}"),
            BarColumn(),
            _Count(unit),
            _Rate(unit),
            TimeElapsedColumn(),
            console=console,
        )
        self._tasks: dict[str, TaskID] = {}
        self._unit = unit

    def __enter__(self) -> RichDisplay:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def start(self, key: str, description: str, total: float | None = None) -> None:
        self._tasks[key] = self._progress.add_task(description, total=total)

    def update(self, key: str, completed: float, total: float | None = None) -> None:
        if key in self._tasks:
            self._progress.update(self._tasks[key], completed=completed, total=total)

    def finish(self, key: str, line: str) -> None:
        found = self._tasks.pop(key, None)
        if found is not None:
            task = self._progress.tasks[self._progress.task_ids.index(found)]
            counted = task.completed if task.total is None else 0
            line += _timing(task.elapsed or 0.0, counted, self._unit)
            self._progress.remove_task(found)
        self.note(line)

    def note(self, line: str) -> None:
        self._progress.console.print(line, markup=False, highlight=False)


@dataclass
class _Task:
    description: str
    total: float | None
    started: float
    completed: float = 0.0


@dataclass
class PlainDisplay:
    """A line when a task ends, and the state of every running task whenever `heartbeat_s`
    pass without a line."""

    stream: TextIO
    unit: str = "rows"
    heartbeat_s: float = HEARTBEAT_S
    clock: Callable[[], float] = time.monotonic
    _tasks: dict[str, _Task] = field(default_factory=dict)
    _last_line: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _heartbeat: Heartbeat | None = None

    def __enter__(self) -> PlainDisplay:
        self._last_line = self.clock()
        self._heartbeat = Heartbeat(self._tick, self.heartbeat_s, "progress").__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._heartbeat is not None:
            self._heartbeat.__exit__(*exc)

    def start(self, key: str, description: str, total: float | None = None) -> None:
        with self._lock:
            self._tasks[key] = _Task(description, total, self.clock())

    def update(self, key: str, completed: float, total: float | None = None) -> None:
        with self._lock:
            if key in self._tasks:
                self._tasks[key].completed = completed
                self._tasks[key].total = total or self._tasks[key].total

    def finish(self, key: str, line: str) -> None:
        with self._lock:
            task = self._tasks.pop(key, None)
            if task is not None:
                counted = task.completed if task.total is None else 0
                line += _timing(self.clock() - task.started, counted, self.unit)
            self._print(line)

    def note(self, line: str) -> None:
        with self._lock:
            self._print(line)

    def _tick(self) -> None:
        with self._lock:
            if self._tasks and self.clock() - self._last_line >= self.heartbeat_s:
                for task in list(self._tasks.values()):
                    self._print(self._state(task))

    def _state(self, task: _Task) -> str:
        elapsed = max(self.clock() - task.started, 1e-6)
        if not task.completed and not task.total:
            return f"  {task.description}: {elapsed:.0f} s"
        done = f"{task.completed:,.0f}"
        rate = f", {task.completed / elapsed:,.0f} {self.unit}/s" if task.completed else ""
        if task.total:
            done += f" of {task.total:,.0f}"
            rate = ""
        return f"  {task.description}: {done} {self.unit}{rate}, {elapsed:.0f} s"

    def _print(self, line: str) -> None:
        print(line, file=self.stream, flush=True)
        self._last_line = self.clock()
