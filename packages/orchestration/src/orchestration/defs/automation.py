"""Declarative automation: after a raw load, the dbt models downstream of it refresh on their own,
following each model's automation condition (see `orchestration.translator`)."""

from __future__ import annotations

import dagster as dg

dbt_automation_sensor = dg.AutomationConditionSensorDefinition(
    name="dbt_automation_sensor",
    target=dg.AssetSelection.kind("dbt"),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="Refreshes dbt models whose upstream updated and whose blocking checks passed.",
)
