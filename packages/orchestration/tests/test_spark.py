"""Dagster on Spark (`NEWSREC_DBT_TARGET=spark`): the unified model and its checks, materialised
by the headless command on the scale-1 sample. The engine is chosen once per process (the
manifest is parsed with its target), so the commands run in processes of their own. About two
minutes; alone: `uv run --package orchestration pytest packages/orchestration -m spark`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_sample
from ingestion import DATA_DIR_ENV, Layout
from orchestration.dbt_project import DBT_TARGET_ENV
from orchestration.warehouse import spark_tables

pytestmark = pytest.mark.spark


def orchestration(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orchestration", *args],
        env={
            **os.environ,
            DATA_DIR_ENV: str(data_dir),
            DBT_TARGET_ENV: "spark",
            # the `dbt` dagster-dbt starts is this environment's
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def test_the_unified_model_and_its_checks_run_on_spark(sample: Path, data_dir: Path) -> None:
    report = copy_sample(sample, data_dir)
    parsed = orchestration(data_dir, "manifest")
    assert parsed.returncode == 0, parsed.stdout[-2000:] + parsed.stderr[-2000:]
    run = orchestration(data_dir, "materialize", "stg_unified_impressions")
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    # the three checks on the unified model ran (on what Spark built) and passed with the rest
    for check in ("row_count", "freshness", "publishers_healthy"):
        assert f"stg_unified_impressions_{check}: done" in run.stderr, run.stderr[-4000:]
    assert re.search(r"SUCCESS .*; checks \d+ passed$", run.stdout, re.MULTILINE), run.stdout
    # the row count on the asset was read from the Parquet of Spark's table
    total = sum(r["candidates"] for r in report["publishers"].values())
    assert f"stg_unified_impressions {total:,}" in run.stdout, run.stdout
    layout = Layout.at(data_dir)
    # Spark built it, in its own warehouse: no DuckDB file was written
    assert not layout.warehouse.exists()
    with spark_tables(layout.spark) as con:
        rows = dict(
            con.execute(
                "select publisher, count(*) from staging.stg_unified_impressions group by 1"
            ).fetchall()
        )
    assert rows == {p: r["candidates"] for p, r in report["publishers"].items()}
