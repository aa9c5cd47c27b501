"""`make dev` as a user runs it: the UI listens on 127.0.0.1 only, and the whole tree of
processes (make, uv, dagster dev, its webserver, daemon and code server) ends on Ctrl-C in a
terminal (SIGINT to the process group) or on SIGTERM to make from a script."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket listening on `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("stop", ["SIGTERM to make", "Ctrl-C"])
def test_make_dev_binds_loopback_and_stops_cleanly(tmp_path: Path, stop: str) -> None:
    port = free_port()
    env = {**os.environ, "NEWSREC_DATA_DIR": str(tmp_path / "data")}
    env.pop("DAGSTER_HOME", None)
    make = subprocess.Popen(
        ["make", "--no-print-directory", "dev", f"PORT={port}"],
        cwd=REPOSITORY,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        while True:
            assert make.poll() is None, make.communicate()[0][-4000:]
            assert time.monotonic() < deadline, "the UI never answered"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        # 0100007F is 127.0.0.1; 00000000 would be every interface
        assert listening_addresses(port) == {"0100007F"}
        if stop == "Ctrl-C":
            os.killpg(make.pid, signal.SIGINT)
        else:
            make.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 60
        while make.poll() is None or group_alive(make.pid):  # poll: make reaped, not a zombie
            assert time.monotonic() < deadline, (
                "processes left running:\n"
                + subprocess.run(
                    ["ps", "-o", "pid,stat,args", "-g", str(make.pid)],
                    capture_output=True,
                    text=True,
                ).stdout
            )
            time.sleep(0.2)
        assert not listening_addresses(port)
    finally:
        if group_alive(make.pid):
            os.killpg(make.pid, signal.SIGKILL)
        make.wait()
    assert (tmp_path / "data" / ".dagster" / "dagster.yaml").is_file()
