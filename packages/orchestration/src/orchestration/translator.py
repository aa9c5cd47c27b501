"""How dbt nodes become Dagster assets: keyed by model name (unique in the project, whatever
schema it lands in), groups follow the model folders, every model refreshes itself after its
upstream updates, the models built on the unified model only once its blocking checks passed,
dbt tests run whenever their model is refreshed, and a model's description is its dbt description
and where it is built (dagster-dbt's default appends the raw SQL, which buries it in the
catalogue)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtProject

UNIFIED_PREFIX = "stg_unified_"
UNIFIED_MODEL = "stg_unified_impressions"


def model_group(fqn: Sequence[str], name: str) -> str:
    """`staging/<publisher>/` → staging; the models that join the publishers
    (`stg_unified_*`) → unified; `marts/`, `editorial/` → their folder.

    `fqn` is dbt's fully qualified name: project, folders…, model."""
    if name.startswith(UNIFIED_PREFIX):
        return "unified"
    folders = fqn[1:-1]
    return folders[0] if folders else "default"


def automation_condition(depends_on: Sequence[str]) -> dg.AutomationCondition:
    """Refresh after any upstream update. A model built on the unified model also waits for its
    blocking checks: passed, or requested in the same tick (then the run itself gates it).

    Only the unified model's checks gate: Dagster evaluates a model and its parents' checks
    side by side, so waiting on every parent's checks would split one refresh into many runs;
    dbt itself skips the children of a failed test within a build."""
    condition = dg.AutomationCondition.eager()
    if UNIFIED_MODEL not in {unique_id.rsplit(".", 1)[-1] for unique_id in depends_on}:
        return condition
    unified_checks_passed = dg.AutomationCondition.all_deps_blocking_checks_passed().allow(
        dg.AssetSelection.assets(UNIFIED_MODEL)
    )
    return condition & unified_checks_passed


def model_description(props: Mapping[str, Any]) -> str:
    """The dbt description, then the model's file and the relation it builds."""
    text = (props.get("description") or "").strip() or f"dbt model {props['name']}."
    kind = props["config"]["materialized"]
    where = f"{props['schema']}.{props.get('alias') or props['name']}"
    return f"{text}\n\n`{props['original_file_path']}`, built as a {kind} `{where}`."


def check_automation_condition() -> dg.AutomationCondition:
    """Run a check whenever its asset is refreshed: requested in the same tick, the checks and
    the models behind them go in one run, where a failed blocking check stops the models."""
    return dg.AutomationCondition.eager()


class NewsrecDbtTranslator(DagsterDbtTranslator):
    def __init__(self) -> None:
        # Every table of a publisher's raw dataset is one Dagster asset, `raw/<publisher>`.
        super().__init__(
            settings=DagsterDbtTranslatorSettings(
                enable_asset_checks=True, enable_duplicate_source_asset_keys=True
            )
        )

    def get_asset_spec(
        self,
        manifest: Mapping[str, Any],
        unique_id: str,
        project: DbtProject | None,
    ) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props["resource_type"] != "model":
            return spec
        return spec.replace_attributes(
            key=dg.AssetKey(props["name"]),
            group_name=model_group(props["fqn"], props["name"]),
            automation_condition=automation_condition(props["depends_on"]["nodes"]),
            description=model_description(props),
        )

    def get_asset_check_spec(
        self,
        asset_spec: dg.AssetSpec,
        manifest: Mapping[str, Any],
        unique_id: str,
        project: DbtProject | None,
    ) -> dg.AssetCheckSpec | None:
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None:
            return None
        return spec._replace(automation_condition=check_automation_condition())
