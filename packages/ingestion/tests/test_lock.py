"""Runs of one publisher are serialised across processes; other publishers do not wait."""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from ingestion import Layout
from ingestion.lock import publisher_lock

# Holds the mind lock until its stdin closes (or it is killed).
HOLDER = """
import sys
from ingestion import Layout
from ingestion.lock import publisher_lock
with publisher_lock(Layout.at(sys.argv[1]), "mind"):
    print("held", flush=True)
    sys.stdin.read()
"""


def hold(layout: Layout) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(layout.data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    return holder


def acquire_in_thread(layout: Layout, publisher: str) -> threading.Event:
    acquired = threading.Event()

    def run() -> None:
        with publisher_lock(layout, publisher):
            acquired.set()

    threading.Thread(target=run, daemon=True).start()
    return acquired


@pytest.mark.parametrize("release", ["finishes", "is killed"])
def test_a_second_run_waits_for_the_first(
    tmp_path: Path, release: str, caplog: pytest.LogCaptureFixture
) -> None:
    layout = Layout.at(tmp_path)
    holder = hold(layout)
    try:
        with caplog.at_level(logging.INFO, logger="ingestion.lock"):
            waiting = acquire_in_thread(layout, "mind")
            assert acquire_in_thread(layout, "adressa").wait(5)  # another publisher: no wait
            assert not waiting.wait(0.5)
        assert "waiting for another mind ingestion to finish" in caplog.text
        if release == "finishes":
            holder.communicate("", timeout=10)
        else:
            holder.send_signal(signal.SIGKILL)
            holder.wait(10)
        assert waiting.wait(10)
    finally:
        holder.kill()
        holder.wait()
