"""What a headless run (`make demo`, `make materialize`) shows while it runs: a few lines, not
Dagster's every event.

A line when a step ends (or fails, or is skipped), what the steps log at INFO and above (the raw
loads' progress, dbt's command line, warnings), and, whenever `heartbeat_s` pass without a line,
which steps are still running and for how long. Colours only on a terminal; plain text in a pipe
or a log file. dbt's own output is written to a file, not here (see `headless`)."""

from __future__ import annotations

import logging
import sys
import threading
import time
from datetime import datetime
from typing import Any, TextIO

import dagster as dg
from ingestion import HEARTBEAT_S, Heartbeat

# dagster-dbt's notes about how it invoked dbt: useful in the UI's run log, noise here
_DBT_CHATTER = (
    "A dbt subsetted execution is not being performed",
    "Copying `",
    "Finished dbt command",
)
_STYLES = {"fail": "\x1b[31m", "warn": "\x1b[33m", "dim": "\x1b[2m", "end": "\x1b[0m"}


class RunConsole:
    """A Dagster logger (`logger_def()`) and the heartbeat that goes with it; use as a context
    manager around the run."""

    def __init__(
        self,
        stream: TextIO | None = None,
        heartbeat_s: float = HEARTBEAT_S,
        styled: bool | None = None,
    ) -> None:
        self.stream = stream or sys.stderr
        self.heartbeat_s = heartbeat_s
        self.styled = self.stream.isatty() if styled is None else styled
        self._running: dict[str, float] = {}
        self._last_line = time.monotonic()
        self._lock = threading.Lock()
        self._heartbeat = Heartbeat(self._tick, heartbeat_s, "run-console")

    def __enter__(self) -> RunConsole:
        self._last_line = time.monotonic()
        self._heartbeat.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._heartbeat.__exit__(*exc)

    def logger_def(self) -> dg.LoggerDefinition:
        """The run's only logger: every Dagster record comes through `handle`."""

        def build(_: Any) -> logging.Logger:
            log = logging.getLogger("newsrec.run")
            log.setLevel(logging.DEBUG)  # step events arrive at DEBUG; `handle` picks
            log.propagate = False
            log.handlers = [_Forward(self)]
            return log

        return dg.LoggerDefinition(build, description="a few lines per run, for a terminal")

    def handle(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        step = meta.get("step_key") or ""
        message = str(meta.get("orig_message") or record.getMessage())
        if event is None:
            if record.levelno >= logging.INFO and not message.startswith(_DBT_CHATTER):
                first = message if record.levelno >= logging.WARNING else message.splitlines()[0]
                style = "warn" if record.levelno >= logging.WARNING else None
                self.line(f"{step}: {first}" if step else first, style)
            return
        kind = event.event_type
        if kind == dg.DagsterEventType.STEP_START:
            with self._lock:
                self._running[step] = time.monotonic()
        elif kind == dg.DagsterEventType.STEP_SUCCESS:
            self.line(f"{step}: done in {self._took(step):.1f} s")
        elif kind == dg.DagsterEventType.STEP_FAILURE:
            error = event.step_failure_data.error if event.step_failure_data else None
            reason = error.message.strip().splitlines()[0] if error else message
            self.line(f"{step}: FAILED after {self._took(step):.1f} s: {reason}", "fail")
        elif kind == dg.DagsterEventType.STEP_SKIPPED:
            self.line(f"{step}: skipped (an upstream step or blocking check failed)", "warn")

    def line(self, text: str, style: str | None = None) -> None:
        stamp = datetime.now().strftime("%H:%M:%S")
        if self.styled:
            stamp = f"{_STYLES['dim']}{stamp}{_STYLES['end']}"
            if style:
                text = f"{_STYLES[style]}{text}{_STYLES['end']}"
        with self._lock:
            print(f"{stamp} {text}", file=self.stream, flush=True)
            self._last_line = time.monotonic()

    def _took(self, step: str) -> float:
        with self._lock:
            started = self._running.pop(step, None)
        return time.monotonic() - started if started is not None else 0.0

    def _tick(self) -> None:
        now = time.monotonic()
        with self._lock:
            quiet = now - self._last_line >= self.heartbeat_s
            running = sorted(self._running.items(), key=lambda item: item[1])
        if quiet and running:
            steps = ", ".join(f"{step} ({now - started:.0f} s)" for step, started in running)
            self.line(f"running: {steps}", "dim")


class _Forward(logging.Handler):
    def __init__(self, console: RunConsole) -> None:
        super().__init__(logging.DEBUG)
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        self.console.handle(record)
