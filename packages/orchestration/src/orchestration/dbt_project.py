"""The transform package's dbt project, and the manifest the code location loads.

Loading the code location reads `target/manifest.json`. Under `dagster dev` a manifest that is
missing or older than a project file is prepared on demand (dagster-dbt's `prepare_if_dev`, which
runs `dbt parse`), so a fresh clone starts with no extra step and an edited model shows up on
reload; anywhere else the manifest is loaded as prepared ahead of time (`make manifest`, a pytest
session fixture), so `dagster asset materialize`, CI and every step process start fast.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from dagster_dbt import DbtCliResource, DbtProject
from transform import DBT_PROJECT_DIR

# What dbt writes into the project folder, never an input to a parse.
_NOT_PARSED = {"target", "logs", "dbt_packages"}


class ManifestMissingError(RuntimeError):
    """The code location cannot be built before the dbt project has been parsed."""


# The engine dbt builds on: `duckdb` (the default) or `spark`.
DBT_TARGET_ENV = "NEWSREC_DBT_TARGET"
# On DuckDB, Dagster's runs build a private copy of the warehouse and publish it
# (orchestration.warehouse): the profile's `build` target. On Spark, the `spark` target (dbt-spark
# in session mode), its manifest in a folder of its own. The manifest is parsed with the run's
# target, so dbt's partial parse stays valid in every step.
DBT_TARGETS = {"duckdb": ("build", "target"), "spark": ("spark", "target/spark")}


def engine() -> str:
    """`$NEWSREC_DBT_TARGET`: `duckdb` when unset."""
    value = os.environ.get(DBT_TARGET_ENV, "").strip().lower() or "duckdb"
    if value not in DBT_TARGETS:
        raise ValueError(f"{DBT_TARGET_ENV}={value!r}: expected one of {', '.join(DBT_TARGETS)}")
    return value


@cache
def dbt_project() -> DbtProject:
    target, target_path = DBT_TARGETS[engine()]
    return DbtProject(project_dir=DBT_PROJECT_DIR, target=target, target_path=Path(target_path))


def prepare_manifest() -> DbtProject:
    """Run `dbt parse` and write the manifest the code location loads."""
    project = dbt_project()
    DbtCliResource(project_dir=project).cli(
        ["parse", "--quiet"], target_path=project.target_path
    ).wait()
    manifest.cache_clear()
    return project


def manifest_is_current(project: DbtProject) -> bool:
    """The manifest exists and no file dbt parses (models, macros, YAML) is newer."""
    path = project.manifest_path
    if not path.exists():
        return False
    built = path.stat().st_mtime_ns
    return all(source.stat().st_mtime_ns <= built for source in _parsed_files(project.project_dir))


def load_manifest(project: DbtProject) -> dict[str, Any]:
    """The project's manifest: prepared first under `dagster dev` when missing or stale; else
    as it is, with a clear error (not a parse) when it was never prepared."""
    if not manifest_is_current(project):
        project.prepare_if_dev()
    path = project.manifest_path
    if not path.exists():
        raise ManifestMissingError(
            f"{path} does not exist: prepare the dbt manifest first "
            "(`make manifest`, or `python -m orchestration manifest`; `dagster dev` does it itself)"
        )
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@cache
def manifest() -> dict[str, Any]:
    """The parsed manifest of the transform project (see `load_manifest`)."""
    return load_manifest(dbt_project())


def relation_name(model: str) -> str:
    """The warehouse relation dbt builds for a model, as dbt quotes it."""
    for node in manifest()["nodes"].values():
        if node["resource_type"] == "model" and node["name"] == model:
            return node["relation_name"]
    raise KeyError(f"no dbt model named {model!r} in {dbt_project().manifest_path}")


def _parsed_files(project_dir: Path) -> list[Path]:
    files = []
    for folder, subfolders, names in os.walk(project_dir):
        subfolders[:] = [s for s in subfolders if s not in _NOT_PARSED and not s.startswith(".")]
        files += [Path(folder, name) for name in names if not name.startswith(".")]
    return files
