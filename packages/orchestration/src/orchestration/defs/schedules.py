"""The daily refresh of the whole graph: every publisher re-landed, every model rebuilt in full
(not only the publishers that changed), every check run."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.assets.dbt import FULL_REFRESH_TAG

daily_refresh = dg.ScheduleDefinition(
    name="daily_refresh",
    target=dg.AssetSelection.all(),
    cron_schedule="0 3 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    tags={FULL_REFRESH_TAG: "true"},
    description="Every asset and check, daily at 03:00 UTC, every table rebuilt in full.",
)
