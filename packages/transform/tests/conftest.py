"""Run the dbt project the way a user does, over a private data directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from ingestion import DATA_DIR_ENV, PUBLISHERS, Layout, run_publisher
from sample import EBNERD_BENCHMARK_ROWS, generate_sample
from transform import DBT_PROJECT_DIR

EBNERD_FIXTURES = EBNERD_BENCHMARK_ROWS
DBT = Path(sys.executable).with_name("dbt")


def dbt_build(base: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`dbt build` from the project folder with $NEWSREC_DATA_DIR set to `base`; the run's
    target and logs go to `base` so tests do not share them."""
    return dbt_run(base, "build", *args)


def dbt_run(base: Path, command: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Any dbt command, run as `dbt_build` runs `build`; it must succeed."""
    layout = Layout.at(base)
    env = {**os.environ, DATA_DIR_ENV: str(layout.data_dir)}
    result = subprocess.run(
        [
            str(DBT),
            command,
            "--target-path",
            str(layout.dbt_target),
            "--log-path",
            str(layout.dbt_logs),
            *args,
        ],
        cwd=DBT_PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return result


def build_sample(base: Path) -> dict:
    """The scale-1 sample generated into `base`, every publisher ingested and `dbt build` run;
    the generator's report."""
    report = generate_sample(Layout.at(base), scale=1, seed=0)
    for publisher in PUBLISHERS:
        run_publisher(publisher, Layout.at(base))
    dbt_build(base)
    return report


def query(base: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(Layout.at(base).warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def unified_counts(base: Path) -> dict[str, tuple[int, int, int, int]]:
    """Per publisher: impressions, candidate rows, clicks, unlabeled rows."""
    rows = query(
        base,
        "select publisher, count(distinct impression_key), count(*), "
        "count(*) filter (where clicked), count(*) filter (where clicked is null) "
        "from staging.stg_unified_impressions group by publisher",
    )
    return {publisher: tuple(counts) for publisher, *counts in rows}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    base = tmp_path / "data"
    for publisher in ("ebnerd", "adressa", "mind"):
        (base / "raw-download" / publisher).mkdir(parents=True)
    return base
