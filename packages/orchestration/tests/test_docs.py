"""`make docs`: dbt docs generated for a data directory and served on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from ingestion import DATA_DIR_ENV, Layout
from orchestration.cli import main


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, deadline: float) -> bytes:
    """GET `url`, retrying until the server answers or `deadline` (monotonic) passes."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_docs_are_generated_and_served_on_localhost(built: Layout) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "orchestration", "docs", "--port", str(port)],
        env={**os.environ, DATA_DIR_ENV: str(built.data_dir)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        index = fetch(f"http://127.0.0.1:{port}/index.html", deadline)
        assert b"dbt" in index.lower()
        manifest = json.loads(fetch(f"http://127.0.0.1:{port}/manifest.json", deadline))
        catalog = json.loads(fetch(f"http://127.0.0.1:{port}/catalog.json", deadline))
        assert "model.newsrec.stg_unified_impressions" in manifest["nodes"]
        users = catalog["nodes"]["model.newsrec.dim_users"]
        assert {"user_key", "impressions", "clicks"} <= {c.lower() for c in users["columns"]}
        assert listening_on(port) == {"127.0.0.1"}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    assert (built.dbt_target / "catalog.json").is_file()


def listening_on(port: int) -> set[str]:
    """The addresses a TCP server listens on at `port`, from the kernel's table (Linux)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                if len(address) == 8:
                    found.add(socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1]))
                else:
                    found.add(f"ipv6:{address}")
    return found


def test_docs_without_a_warehouse_say_what_to_build(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["docs", "--no-serve"]) == 2
    err = capsys.readouterr().err
    assert "no warehouse at" in err and "make demo" in err
    assert not (data_dir / "warehouse.duckdb").exists()
