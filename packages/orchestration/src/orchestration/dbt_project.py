"""The transform package's dbt project, and its manifest prepared once ahead of time.

Loading the code location reads `target/manifest.json`; it never runs `dbt parse`, so `dagster dev`
and every step process start fast. `prepare_manifest()` (the `manifest` command, a pytest session
fixture) is the one place that parses the project.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from dagster_dbt import DbtCliResource, DbtProject
from transform import DBT_PROJECT_DIR


class ManifestMissingError(RuntimeError):
    """The code location cannot be built before the dbt project has been parsed."""


# Dagster's runs build a private copy of the warehouse and publish it (orchestration.warehouse);
# the manifest is parsed with the same target, so dbt's partial parse stays valid in every step.
DBT_TARGET = "build"


@cache
def dbt_project() -> DbtProject:
    return DbtProject(project_dir=DBT_PROJECT_DIR, target=DBT_TARGET)


def prepare_manifest() -> DbtProject:
    """Run `dbt parse` and write the manifest the code location loads."""
    project = dbt_project()
    DbtCliResource(project_dir=project).cli(
        ["parse", "--quiet"], target_path=project.target_path
    ).wait()
    manifest.cache_clear()
    return project


@cache
def manifest() -> dict[str, Any]:
    """The parsed manifest; a clear error, not a parse, when it was never prepared."""
    path = dbt_project().manifest_path
    if not path.exists():
        raise ManifestMissingError(
            f"{path} does not exist: prepare the dbt manifest first "
            "(`make manifest`, or `python -m orchestration manifest`)"
        )
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def relation_name(model: str) -> str:
    """The warehouse relation dbt builds for a model, as dbt quotes it."""
    for node in manifest()["nodes"].values():
        if node["resource_type"] == "model" and node["name"] == model:
            return node["relation_name"]
    raise KeyError(f"no dbt model named {model!r} in {dbt_project().manifest_path}")
