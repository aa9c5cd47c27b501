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
from ingestion import DATA_DIR_ENV, PUBLISHERS, Layout, run_publisher
from playwright.sync_api import Browser
from report import Report, render_report
from sample import generate_sample
from transform import DBT_PROJECT_DIR


def build_warehouse(base: Path) -> Path:
    layout = Layout.at(base)
    generate_sample(layout, scale=1, seed=0)
    for publisher in PUBLISHERS:
        run_publisher(publisher, layout)
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "build",
            "--target-path",
            str(layout.dbt_target),
            "--log-path",
            str(layout.dbt_logs),
        ],
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, DATA_DIR_ENV: str(layout.data_dir)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return layout.warehouse


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
