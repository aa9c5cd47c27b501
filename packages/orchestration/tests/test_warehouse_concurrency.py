"""The warehouse beside its users, with real processes: a reader holding the published warehouse
open never breaks a build and always sees one whole build; a killed build leaves readers on the
previous one; `make demo` and a daemon-driven run of the same instance queue instead of failing
on DuckDB's lock."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest
from conftest import copy_sample
from ingestion import DATA_DIR_ENV, Layout

BIN = Path(sys.executable).parent
LOCK_ERROR = "Could not set lock"
# One whole build: the impressions the users mart counts are the unified model's impressions.
READER = """
import json, pathlib, sys, time
import duckdb
path, stop = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
seen, errors, mixed, builds = 0, [], 0, set()
while not stop.exists():
    if not path.exists():
        time.sleep(0.05)
        continue
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            shown = con.execute(
                "select count(*) filter (where position = 0) from staging.stg_unified_impressions"
            ).fetchone()[0]
            time.sleep(0.1)  # a reader that lingers: the build must not wait for it
            counted = con.execute("select sum(impressions) from marts.dim_users").fetchone()[0]
        seen += 1
        mixed += shown != counted
        builds.add(shown)
    except Exception as error:
        errors.append(repr(error))
print(json.dumps({"seen": seen, "errors": errors, "mixed": mixed, "builds": sorted(builds)}))
"""


def environment(data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        DATA_DIR_ENV: str(data_dir),
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "PYTHONWARNINGS": "ignore",
    }


def demo(data_dir: Path, **popen: Any) -> subprocess.Popen[str]:
    """`make demo`'s command, as its own process group."""
    return subprocess.Popen(
        [sys.executable, "-m", "orchestration", "demo"],
        env=environment(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        **popen,
    )


def finish(process: subprocess.Popen[str], timeout: float = 600) -> str:
    output, _ = process.communicate(timeout=timeout)
    assert process.returncode == 0, output[-6000:]
    assert LOCK_ERROR not in output
    return output


@pytest.fixture
def reader(tmp_path: Path, data_dir: Path) -> Any:
    """A separate process reading the published warehouse until told to stop."""
    stop = tmp_path / "stop-reading"
    process = subprocess.Popen(
        [sys.executable, "-c", READER, str(Layout.at(data_dir).warehouse), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )

    def result() -> dict[str, Any]:
        stop.touch()
        output, _ = process.communicate(timeout=60)
        return json.loads(output)

    yield result
    process.kill()
    process.wait()


def test_a_reader_never_breaks_a_build_and_sees_whole_builds(
    sample: Path, data_dir: Path, reader: Any
) -> None:
    copy_sample(sample, data_dir)
    test_release = data_dir / "raw-download" / "mind" / "MINDlarge_test.zip"
    held_back = test_release.rename(data_dir / "MINDlarge_test.zip")
    finish(demo(data_dir))
    held_back.rename(test_release)  # the second build has more MIND impressions
    finish(demo(data_dir))
    seen = reader()
    assert seen["errors"] == []
    assert seen["mixed"] == 0
    assert len(seen["builds"]) == 2, seen  # the reader saw the first build, then the second
    assert seen["seen"] > 2


def published_state(layout: Layout) -> tuple[int, dict[str, int]]:
    with duckdb.connect(str(layout.warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ('marts', 'editorial') and table_type = 'BASE TABLE'"
        ).fetchall()
        counts = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for (t,) in tables}
    return layout.warehouse.stat().st_ino, counts


def test_a_killed_build_leaves_the_previous_build_and_the_next_one_succeeds(
    sample: Path, data_dir: Path
) -> None:
    layout = Layout.at(data_dir)
    copy_sample(sample, data_dir)
    finish(demo(data_dir))
    before = published_state(layout)
    (layout.raw_download("mind") / "MINDlarge_test.zip").unlink()
    process = demo(data_dir)
    deadline = time.monotonic() + 300
    builds = layout.warehouse_builds
    while not any(builds.glob("*/warehouse.duckdb")) or not _dbt_running(process.pid):
        assert process.poll() is None, process.communicate()[0][-4000:]
        assert time.monotonic() < deadline, "the build never started"
        time.sleep(0.05)
    time.sleep(1)  # inside dbt's writes
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert published_state(layout) == before
    output = finish(demo(data_dir))
    assert "all assets materialised" in output or "SUCCESS" in output
    assert published_state(layout)[0] != before[0]


def _dbt_running(session: int) -> bool:
    """A `dbt build` process in the demo's process group."""
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
            command = (status.parent / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if (
            int(fields[3]) == session
            and b"build" in command
            and any(part.endswith(b"dbt") for part in command)
        ):
            return True
    return False


def test_make_demo_queues_behind_a_daemon_run(sample: Path, data_dir: Path, tmp_path: Path) -> None:
    """A run launched through the daemon of `dagster dev` and `make demo` at the same time, on
    the data directory's instance: both succeed, neither meets DuckDB's lock."""
    layout = Layout.at(data_dir)
    copy_sample(sample, data_dir)
    workspace = tmp_path / "workspace.yaml"
    workspace.write_text(
        "load_from:\n  - python_module:\n      module_name: orchestration.definitions\n"
        "      attribute: defs\n      location_name: newsrec\n",
        encoding="utf-8",
    )
    env = environment(data_dir)
    home = subprocess.run(
        [sys.executable, "-m", "orchestration", "instance"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    env["DAGSTER_HOME"] = home
    # only the two runs under test: no sensor-started loads or automation runs beside them
    for sensor in ("raw_download_sensor", "dbt_automation_sensor"):
        stopped = subprocess.run(
            [str(BIN / "dagster"), "sensor", "stop", sensor, "-w", str(workspace)],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    port = _free_port()
    # to a file: the runs inherit the server's output, and a pipe nobody reads would block them
    server_log = tmp_path / "dagster-dev.log"
    server = subprocess.Popen(
        [str(BIN / "dagster"), "dev", "-w", str(workspace), "-h", "127.0.0.1", "-p", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=server_log.open("w", encoding="utf-8"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_for(port, server, server_log)
        launched = subprocess.run(
            [str(BIN / "dagster"), "job", "launch", "-w", str(workspace), "-j", "__ASSET_JOB"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert launched.returncode == 0, launched.stdout + launched.stderr
        with dg.DagsterInstance.from_config(home) as instance:
            (queued,) = [r for r in instance.get_runs() if "dagster/sensor_name" not in r.tags]
            output = finish(demo(data_dir))
            ours = [queued.run_id, _run_id(output, instance)]
            deadline = time.monotonic() + 600
            while True:
                runs = [instance.get_run_by_id(run_id) for run_id in ours]
                if all(run is not None and run.is_finished for run in runs):
                    break
                assert time.monotonic() < deadline, _last_events(instance, ours)
                time.sleep(1)
            assert [run.status for run in runs] == [dg.DagsterRunStatus.SUCCESS] * 2
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    assert LOCK_ERROR not in server_log.read_text(encoding="utf-8")
    assert layout.warehouse.exists()


def _last_events(instance: dg.DagsterInstance, run_ids: list[str]) -> str:
    return "\n".join(
        f"{run_id}: {entry.message or entry.dagster_event_type}"
        for run_id in run_ids
        for entry in instance.all_logs(run_id)[-12:]
    )


def _run_id(text: str, instance: dg.DagsterInstance) -> str:
    """The demo's run, from the short id its summary prints (`run 87bdae50 SUCCESS …`)."""
    found = re.search(r"^run ([0-9a-f]{8}) ", text, re.MULTILINE)
    assert found, text[-2000:]
    (run_id,) = [r.run_id for r in instance.get_runs() if r.run_id.startswith(found.group(1))]
    return run_id


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, server: subprocess.Popen[str], log: Path, timeout: float = 180) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text(encoding="utf-8")[-4000:]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise AssertionError("dagster dev did not answer")
