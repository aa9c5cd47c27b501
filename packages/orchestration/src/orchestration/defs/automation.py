"""Declarative automation: after a raw load, the dbt models downstream of it refresh on their own,
following each model's automation condition (see `orchestration.translator`), and the editorial
report and the research exports after their models."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.assets.report import REPORT_KEY
from orchestration.defs.assets.research import EXPORTS_KEY

dbt_automation_sensor = dg.AutomationConditionSensorDefinition(
    name="dbt_automation_sensor",
    target=dg.AssetSelection.kind("dbt") | dg.AssetSelection.assets(REPORT_KEY, EXPORTS_KEY),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description=(
        "Refreshes dbt models whose upstream updated and whose blocking checks passed, and the "
        "editorial report and the research exports after their models."
    ),
)
