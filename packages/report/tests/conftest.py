"""One real warehouse per session, built the way a user builds it: the scale-1 sample landed by
the ingestion pipelines, then `dbt build`; and one report rendered from it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import chromium
from ingestion.pipeline import run_publisher
from ingestion.sample import generate_sample
from playwright.sync_api import Browser
from report import Report, render_report
from transform import DBT_PROJECT_DIR

PUBLISHERS = ("ebnerd", "adressa", "mind")


def build_warehouse(base: Path) -> Path:
    generate_sample(base, scale=1, seed=0)
    for publisher in PUBLISHERS:
        run_publisher(publisher, base)
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "build",
            "--target-path",
            str(base / "dbt-target"),
            "--log-path",
            str(base / "dbt-logs"),
        ],
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, "NEWSREC_DATA_DIR": str(base)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return base / "warehouse.duckdb"


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session")
def report(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Report:
    return render_report(warehouse, tmp_path_factory.mktemp("reports"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched
