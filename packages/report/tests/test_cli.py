"""`newsrec-report` as a user runs it: defaults from $NEWSREC_DATA_DIR, one line on failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from report.cli import main

NEWSREC_REPORT = Path(sys.executable).with_name("newsrec-report")


def run(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NEWSREC_REPORT), *args],
        env={**os.environ, "NEWSREC_DATA_DIR": str(data)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_report_goes_to_the_data_directory_by_default(warehouse: Path) -> None:
    data = warehouse.parent
    result = run(data=data)
    assert result.returncode == 0, result.stderr
    reports = data / "reports"
    for name in ("index.html", "ebnerd.html", "adressa.html", "mind.html"):
        assert (reports / name).is_file()
        assert str(reports / name) in result.stdout
    assert "MIND (Microsoft News)" in result.stdout


def test_explicit_paths_win_over_the_data_directory(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("NEWSREC_DATA_DIR", str(tmp_path))
    assert main(["--warehouse", str(warehouse), "--to", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "index.html").is_file()
    assert not (tmp_path / "reports").exists()
    assert f"index: {tmp_path / 'out' / 'index.html'}" in capsys.readouterr().out


def test_no_warehouse_is_one_line_that_says_what_to_run(tmp_path: Path) -> None:
    result = run(data=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        f"newsrec-report: no warehouse at {tmp_path / 'warehouse.duckdb'}: "
        f"build it first (make demo)\n"
    )
    assert not (tmp_path / "reports").exists()
