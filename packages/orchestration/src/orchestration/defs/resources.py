"""Resources shared by the assets, checks and sensors: where the data lives, and the dbt CLI bound
to the transform project."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource
from ingestion import DATA_DIR_ENV, Layout

from orchestration.dbt_project import dbt_project


class LayoutResource(dg.ConfigurableResource):
    """The data directory (`$NEWSREC_DATA_DIR`) and every path under it; the lake at
    `$NEWSREC_LAKE_URL` when set."""

    data_dir: str

    @property
    def layout(self) -> Layout:
        return Layout.from_env(self.data_dir)


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "layout": LayoutResource(data_dir=dg.EnvVar(DATA_DIR_ENV)),
            "dbt": DbtCliResource(project_dir=dbt_project()),
        }
    )
