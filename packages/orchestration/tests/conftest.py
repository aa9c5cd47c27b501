"""The manifest is parsed once per session; the code location is loaded from it, as in production.
Every test gets its own data directory through $NEWSREC_DATA_DIR."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import dagster as dg
import pytest
from ingestion import DATA_DIR_ENV, PUBLISHERS, Layout, run_publisher
from orchestration.dbt_project import manifest, prepare_manifest
from orchestration.defs.resources import LayoutResource
from orchestration.headless import load_definitions
from orchestration.instance import HOME_ENV
from orchestration.settings import (
    FRESHNESS_AS_OF_ENV,
    FRESHNESS_BUDGET_ENV,
    MIN_ROWS_ENV,
    PUBLISHERS_ENV,
)
from transform import DBT_PROJECT_DIR


@pytest.fixture(scope="session")
def dbt_manifest(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    with pytest.MonkeyPatch.context() as env:
        env.setenv(DATA_DIR_ENV, str(tmp_path_factory.mktemp("parse")))
        prepare_manifest()
    return manifest()


@pytest.fixture(scope="session")
def defs(dbt_manifest: dict[str, Any]) -> dg.Definitions:
    return load_definitions()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, empty data directory (with its own Dagster instance); no setting leaks in
    from the shell."""
    base = tmp_path / "data"
    base.mkdir()
    monkeypatch.setenv(DATA_DIR_ENV, str(base))
    for name in (MIN_ROWS_ENV, FRESHNESS_BUDGET_ENV, FRESHNESS_AS_OF_ENV, PUBLISHERS_ENV, HOME_ENV):
        monkeypatch.delenv(name, raising=False)
    return base


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Scale-1 sample downloads and the generator's report, generated once per session."""
    from sample import generate_sample

    base = tmp_path_factory.mktemp("sample")
    generate_sample(Layout.at(base), scale=1, seed=0)
    return base


@pytest.fixture(scope="session")
def built(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Layout:
    """A data directory with the sample landed and every model built by `dbt build`, as
    `make ingest` and `make dbt` leave it; for the readers (queries, docs) to read."""
    layout = Layout.at(tmp_path_factory.mktemp("built"))
    copy_sample(sample, layout.data_dir)
    for publisher in PUBLISHERS:
        run_publisher(publisher, layout)
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "build",
            "--quiet",
            *("--target-path", str(layout.dbt_target), "--log-path", str(layout.dbt_logs)),
        ],
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, DATA_DIR_ENV: str(layout.data_dir)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return layout


def copy_sample(sample: Path, base: Path) -> dict[str, Any]:
    """Put the sample's downloads and its report in `base` (the checks judge freshness as of
    the sample's end, which the report gives)."""
    shutil.copytree(sample / "raw-download", base / "raw-download", dirs_exist_ok=True)
    shutil.copy(Layout.at(sample).sample_report, Layout.at(base).sample_report)
    return json.loads(Layout.at(base).sample_report.read_text(encoding="utf-8"))


def layout_resource(base: Path) -> LayoutResource:
    """The resource as the code location builds it, for invoking a check or sensor directly."""
    return LayoutResource(data_dir=str(base))
