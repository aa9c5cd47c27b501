"""The manifest on a fresh clone: prepared on demand under `dagster dev`, loaded prebuilt (or a
clear error) everywhere else."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from dagster_dbt import DbtProject
from orchestration.dbt_project import ManifestMissingError, load_manifest, manifest_is_current
from transform import DBT_PROJECT_DIR

DEV_CLI_ENV = "DAGSTER_IS_DEV_CLI"  # what `dagster dev` sets for every process it starts


@pytest.fixture
def fresh_clone(tmp_path: Path) -> DbtProject:
    """The dbt project as a clone has it: no target/, no manifest."""
    copy = tmp_path / "dbt"
    shutil.copytree(
        DBT_PROJECT_DIR, copy, ignore=shutil.ignore_patterns("target", "logs", ".user.yml")
    )
    return DbtProject(project_dir=copy)


def test_outside_dagster_dev_a_missing_manifest_is_an_error_not_a_parse(
    fresh_clone: DbtProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DEV_CLI_ENV, raising=False)
    with pytest.raises(ManifestMissingError, match="make manifest"):
        load_manifest(fresh_clone)
    assert not fresh_clone.manifest_path.exists()


def test_under_dagster_dev_the_manifest_is_prepared_when_missing_or_stale(
    fresh_clone: DbtProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DEV_CLI_ENV, "1")
    assert not manifest_is_current(fresh_clone)
    parsed = load_manifest(fresh_clone)
    assert "model.newsrec.stg_unified_impressions" in parsed["nodes"]
    assert manifest_is_current(fresh_clone)
    first = fresh_clone.manifest_path.stat().st_mtime_ns

    load_manifest(fresh_clone)  # current: loaded as it is, not parsed again
    assert fresh_clone.manifest_path.stat().st_mtime_ns == first

    model = fresh_clone.project_dir / "models" / "marts" / "dim_users.sql"
    os.utime(model, ns=(first + 10**9, first + 10**9))  # an edited model
    assert not manifest_is_current(fresh_clone)
    load_manifest(fresh_clone)
    assert fresh_clone.manifest_path.stat().st_mtime_ns > first
    assert manifest_is_current(fresh_clone)


def test_a_stale_manifest_is_loaded_as_it_is_outside_dagster_dev(
    fresh_clone: DbtProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh_clone.manifest_path.parent.mkdir()
    fresh_clone.manifest_path.write_text('{"nodes": {}, "prebuilt": true}', encoding="utf-8")
    os.utime(fresh_clone.manifest_path, ns=(0, 0))
    monkeypatch.delenv(DEV_CLI_ENV, raising=False)
    assert not manifest_is_current(fresh_clone)
    assert load_manifest(fresh_clone)["prebuilt"] is True
