"""One warehouse per session, built the way a user builds it: the scale-1 sample generated,
landed by the ingestion and built by `dbt build`. The ingestion's internals are imported here
only."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from ingestion import DATA_DIR_ENV, PUBLISHERS, Layout, run_publisher
from sample import generate_sample
from transform import DBT_PROJECT_DIR

DBT = Path(sys.executable).with_name("dbt")
SAMPLE_END = datetime(2026, 12, 2, 4, tzinfo=UTC)


def dbt_build(base: Path, *args: str) -> None:
    """`dbt build` from the project folder over `base` (its lake and warehouse)."""
    layout = Layout.at(base)
    result = subprocess.run(
        [
            str(DBT),
            "build",
            "--target-path",
            str(layout.dbt_target),
            "--log-path",
            str(layout.dbt_logs),
            *args,
        ],
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, DATA_DIR_ENV: str(layout.data_dir)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def land(base: Path, *publishers: str) -> None:
    """Ingest `base/raw-download/<publisher>/` into `base/lake`."""
    for publisher in publishers:
        run_publisher(publisher, Layout.at(base))


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scale-1 sample's data directory, ingested and built; read it, never write it."""
    base = tmp_path_factory.mktemp("sample")
    generate_sample(Layout.at(base), scale=1, seed=0, end=SAMPLE_END)
    land(base, *PUBLISHERS)
    dbt_build(base)
    return base


@pytest.fixture(scope="session")
def warehouse(built: Path) -> Path:
    return Layout.at(built).warehouse


@pytest.fixture
def writable_copy(built: Path, tmp_path: Path) -> Path:
    """A private copy of the built data directory (its lake and warehouse) a test may change."""
    base = tmp_path / "data"
    shutil.copytree(built, base, ignore=shutil.ignore_patterns("dbt", "exports"))
    return base


def query(warehouse: Path, sql: str, params: list | dict | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params).fetchall()
