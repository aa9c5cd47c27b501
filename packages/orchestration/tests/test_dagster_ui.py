"""The Dagster UI as a person opens it: `dagster dev` started as a real process on a free local
port (a temporary instance and data directory), driven in headless Chromium, then stopped with
SIGTERM to its process group."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import pytest
from browser import chromium, local_page
from ingestion import DATA_DIR_ENV

REPOSITORY = Path(__file__).resolve().parents[3]
GROUPS = ("raw", "staging", "unified", "marts", "editorial")
START_S = 240  # a cold start on a busy two-core machine takes well under a minute
STOP_S = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def group_members(pgid: int) -> list[int]:
    """The processes still in a process group (Linux /proc)."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                members.append(int(entry.name))
    return members


@pytest.fixture
def dagster_dev(dbt_manifest: dict[str, Any], tmp_path: Path) -> Iterator[str]:
    """`dagster dev` over the repository's workspace; yields its URL, then stops it with
    SIGTERM to its process group and checks that every process of it exited."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    settings = (REPOSITORY / "packages/orchestration/src/orchestration/instance.yaml").read_text(
        encoding="utf-8"
    )
    (home / "dagster.yaml").write_text(f"{settings}\ntelemetry:\n  enabled: false\n")
    data = tmp_path / "data"
    (data / "raw-download").mkdir(parents=True)
    port = free_port()
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "DAGSTER_HOME": str(home),
        DATA_DIR_ENV: str(data),
    }
    command = [str(bin_dir / "dagster"), "dev", "-w", str(REPOSITORY / "workspace.yaml")]
    log = (tmp_path / "dagster-dev.log").open("w")
    server = subprocess.Popen(
        [*command, "-h", "127.0.0.1", "-p", str(port)],
        cwd=tmp_path,  # no .env or dagster.yaml of the checkout is picked up
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_S
        while True:
            assert server.poll() is None, (tmp_path / "dagster-dev.log").read_text()[-3000:]
            try:
                urllib.request.urlopen(f"{url}/server_info", timeout=5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "dagster dev did not start in time"
                time.sleep(0.5)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            code = server.wait(timeout=STOP_S)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
            pytest.fail(f"dagster dev ignored SIGTERM for {STOP_S} s")
        finally:
            log.close()
        deadline = time.monotonic() + STOP_S
        while group_members(server.pid) and time.monotonic() < deadline:
            time.sleep(0.5)
        left = group_members(server.pid)
        if left:
            os.killpg(server.pid, signal.SIGKILL)
        assert not left, f"processes of dagster dev still running after SIGTERM: {left}"
        assert code == 0, (tmp_path / "dagster-dev.log").read_text()[-3000:]


def opening_words(defs: dg.Definitions, check: str) -> str:
    """The start of a check's description as the code location defines it (before any `$`)."""
    key = dg.AssetCheckKey(dg.AssetKey("stg_unified_impressions"), check)
    description = defs.resolve_asset_graph().get_check_spec(key).description or ""
    return description.split("$")[0].strip()


def test_the_asset_graph_shows_the_five_groups_and_the_blocking_checks(
    dagster_dev: str, defs: dg.Definitions
) -> None:
    with chromium() as browser, local_page(browser, viewport={"width": 1400, "height": 900}) as ui:
        page = ui.page
        # as after a first visit: the community sign-up dialog, shown once, would cover the page
        page.context.add_init_script("localStorage.setItem('communityNux', '\"1\"')")
        page.goto(f"{dagster_dev}/asset-groups", wait_until="domcontentloaded")
        # the graph's group boxes and the sidebar list each name every group
        page.get_by_text("editorial", exact=True).first.wait_for(timeout=120_000)
        for group in GROUPS:
            shown = page.get_by_text(group, exact=True)
            visible = [shown.nth(i).is_visible() for i in range(shown.count())]
            assert sum(visible) >= 2, f"group {group} is not in the graph and the sidebar"
        assert page.get_by_text("default", exact=True).count() == 0

        page.goto(f"{dagster_dev}/assets/stg_unified_impressions?view=checks")
        for check in ("row_count", "freshness"):
            description = opening_words(defs, check)
            assert len(description) > 10, description
            page.get_by_text(check, exact=True).filter(visible=True).first.click(timeout=60_000)
            # the selected check's own description, and the UI's word that it blocks
            page.get_by_text(description).first.wait_for(timeout=30_000)
            page.get_by_text("This is a blocking asset check.").wait_for(timeout=30_000)
        assert not ui.errors, ui.errors
