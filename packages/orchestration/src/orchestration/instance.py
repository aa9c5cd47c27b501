"""One persistent Dagster instance per data directory, with the project's settings (the
warehouse pool) always applied: `make demo`, `make materialize`, `make dev`, the schedule and the
sensors all record their runs there, so every run shows in the UI and the pool spans them."""

from __future__ import annotations

import logging
import os
import socket
from importlib.resources import files
from pathlib import Path

import dagster as dg
import psutil
import yaml
from ingestion import Layout

HOME_ENV = "DAGSTER_HOME"
SETTINGS = "dagster.yaml"
# which process runs a run started by this package in-process (`make demo`, `make materialize`)
RUNNER_TAG = "newsrec/runner"
_UNFINISHED = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]
log = logging.getLogger(__name__)


def instance_settings() -> str:
    """The text of the project's instance settings."""
    return (files(__package__) / "instance.yaml").read_text(encoding="utf-8")


def dagster_home(layout: Layout) -> Path:
    """`$DAGSTER_HOME` when set, else the data directory's own `.dagster/`; made ready to use:
    the project's settings are written there when it has none, and an existing file that lacks
    the warehouse pool is named in a warning (it is the user's to change)."""
    value = os.environ.get(HOME_ENV, "").strip()
    home = Path(value).expanduser().resolve() if value else layout.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    settings = home / SETTINGS
    if not settings.exists():
        settings.write_text(instance_settings(), encoding="utf-8")
    elif not _has_pools(settings):
        log.warning(
            "%s has no `concurrency: pools:` section: add the one in %s so builds queue",
            settings,
            files(__package__) / "instance.yaml",
        )
    return home


def persistent_instance(layout: Layout) -> dg.DagsterInstance:
    """The instance of this data directory (see `dagster_home`)."""
    return dg.DagsterInstance.from_config(str(dagster_home(layout)))


def _has_pools(settings: Path) -> bool:
    config = yaml.safe_load(settings.read_text(encoding="utf-8")) or {}
    return "pools" in (config.get("concurrency") or {})


def runner_tag() -> dict[str, str]:
    """Tags naming this process (host, pid, start time), for a run it executes in-process."""
    me = psutil.Process()
    return {RUNNER_TAG: f"{socket.gethostname()}:{me.pid}:{me.create_time()}"}


def release_abandoned_runs(instance: dg.DagsterInstance) -> list[str]:
    """Runs started in-process on this machine by a process that is gone (killed before it
    could say so): marked failed, and the pool slots their steps held given back, so the next
    run does not wait for them forever. Returns their ids."""
    released = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=_UNFINISHED)):
        runner = run.tags.get(RUNNER_TAG)
        if runner is None or not _gone(runner):
            continue
        instance.report_run_failed(run, "its process ended without finishing the run")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        released.append(run.run_id)
    return released


def _gone(runner: str) -> bool:
    host, pid, started = runner.rsplit(":", 2)
    if host != socket.gethostname():
        return False  # another machine's: not ours to judge
    try:
        return psutil.Process(int(pid)).create_time() != float(started)
    except psutil.NoSuchProcess:
        return True
