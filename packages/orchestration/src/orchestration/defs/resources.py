"""Resources shared by the assets: the dbt CLI bound to the transform project."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.dbt_project import dbt_project


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(resources={"dbt": DbtCliResource(project_dir=dbt_project())})
