"""The code location as Dagster loads it: assets, checks, schedule, sensors and lineage."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import dagster as dg
import pytest
from orchestration.defs.assets.dbt import (
    FULL_REFRESH_TAG,
    UNIFIED_MODEL,
    dbt_build_args,
    downstream_assets,
    staging_assets,
)
from orchestration.defs.checks import freshness, row_count
from orchestration.translator import model_group

RAW = [dg.AssetKey(["raw", p]) for p in ("ebnerd", "adressa", "mind")]
UNIFIED = dg.AssetKey(UNIFIED_MODEL)
REPORT = dg.AssetKey("editorial_report")
EXPORTS = dg.AssetKey("research_exports")
GROUPS = {
    "staging": {
        "stg_adressa__articles",
        "stg_adressa__events",
        "stg_adressa__impressions",
        "stg_ebnerd__articles",
        "stg_ebnerd__behaviors",
        "stg_ebnerd__impressions",
        "stg_ebnerd__user_history",
        "stg_mind__behaviors",
        "stg_mind__entity_embeddings",
        "stg_mind__impressions",
        "stg_mind__news",
        "stg_mind__relation_embeddings",
        "stg_mind__user_history",
    },
    "unified": {"stg_unified_impressions", "stg_unified_articles", "stg_unified_publisher_health"},
    "marts": {
        "dim_articles",
        "dim_users",
        "fct_impressions",
        "mart_article_performance",
        "mart_category_daily",
    },
    "editorial": {
        "editorial_category_mix",
        "editorial_content_decay",
        "editorial_top_articles_daily",
        "editorial_trending_articles",
    },
    "research": {
        "benchmark_adressa_impressions",
        "benchmark_adressa_pool_hours",
        "benchmark_adressa_pools",
        "benchmark_article_hours",
        "benchmark_articles",
        "benchmark_baseline_ranks",
        "benchmark_baseline_scores",
        "benchmark_datasets",
        "benchmark_histories",
        "benchmark_impression_metrics",
        "benchmark_impressions",
        "benchmark_leaderboard",
        "benchmark_news",
        "benchmark_splits",
    },
}
"""Every dbt model's Dagster group: a snapshot, updated by hand when a model is added."""
ASSET_GROUPS = {
    **{key: "raw" for key in RAW},
    **{dg.AssetKey(name): group for group, names in GROUPS.items() for name in names},
    REPORT: "editorial",
    EXPORTS: "research",
}
"""Every asset of the code location and its group: the raw landings, the models, the report and
the research exports."""


def models(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}


def ancestors(manifest: dict[str, Any], name: str) -> set[str]:
    """Models `name` is built from, by dbt's own dependency list."""
    by_id = {i: n for i, n in manifest["nodes"].items() if n["resource_type"] == "model"}
    todo = [i for i, n in by_id.items() if n["name"] == name]
    seen: set[str] = set()
    while todo:
        for parent in by_id[todo.pop()]["depends_on"]["nodes"]:
            if parent in by_id and by_id[parent]["name"] not in seen:
                seen.add(by_id[parent]["name"])
                todo.append(parent)
    return seen


def test_every_raw_asset_and_dbt_model_is_an_asset(
    defs: dg.Definitions, dbt_manifest: dict[str, Any]
) -> None:
    keys = set(defs.resolve_asset_graph().get_all_asset_keys())
    expected = set(RAW) | {dg.AssetKey(name) for name in models(dbt_manifest)} | {REPORT, EXPORTS}
    assert keys == expected
    for key in RAW:
        spec = defs.get_assets_def(key).specs_by_key[key]
        assert spec.group_name == "raw"
        assert spec.automation_condition is None


def test_groups_follow_the_model_folders(
    defs: dg.Definitions, dbt_manifest: dict[str, Any]
) -> None:
    groups = {s.key: s.group_name for s in defs.resolve_all_asset_specs()}
    assert groups == ASSET_GROUPS
    assert set(models(dbt_manifest)) == {name for names in GROUPS.values() for name in names}


@pytest.mark.parametrize(
    ("fqn", "group"),
    [
        (["newsrec", "staging", "mind", "stg_mind__news"], "staging"),
        (["newsrec", "staging", "stg_unified_impressions"], "unified"),
        (["newsrec", "marts", "dim_users"], "marts"),
        (["newsrec", "editorial", "editorial_category_mix"], "editorial"),
        (["newsrec", "research", "benchmark_splits"], "research"),
    ],
)
def test_model_group(fqn: list[str], group: str) -> None:
    assert model_group(fqn, fqn[-1]) == group


def test_lineage_runs_from_each_publisher_through_the_unified_model(
    defs: dg.Definitions, dbt_manifest: dict[str, Any]
) -> None:
    graph = defs.resolve_asset_graph()
    upstream_of_unified = dg.AssetSelection.assets(UNIFIED).upstream().resolve(graph)
    assert set(RAW) <= upstream_of_unified
    after = {dg.AssetKey(n) for n in GROUPS["marts"] | GROUPS["editorial"]}
    assert after, "the project has marts and editorial models"
    unified_models = dg.AssetSelection.assets(UNIFIED, dg.AssetKey("stg_unified_articles"))
    assert after <= unified_models.downstream().resolve(graph)
    upstream_of_articles = dg.AssetSelection.assets("stg_unified_articles").upstream()
    assert set(RAW) <= upstream_of_articles.resolve(graph)
    # dbt sources resolve to the raw assets, never to stray external keys
    for key in graph.get_all_asset_keys():
        assert graph.get(key).is_materializable, key


def test_dbt_assets_are_split_at_the_unified_model(dbt_manifest: dict[str, Any]) -> None:
    """Snapshot of the split: the first op is exactly the unified model and its ancestors."""
    first = {k.to_user_string() for k in staging_assets().keys}
    second = {k.to_user_string() for k in downstream_assets().keys}
    assert first == {UNIFIED_MODEL} | ancestors(dbt_manifest, UNIFIED_MODEL)
    assert second == set(models(dbt_manifest)) - first
    assert staging_assets().op.pool == downstream_assets().op.pool == "duckdb_warehouse"


def test_checks_on_the_unified_model_are_blocking(
    defs: dg.Definitions, dbt_manifest: dict[str, Any]
) -> None:
    graph = defs.resolve_asset_graph()
    ours = {dg.AssetCheckKey(UNIFIED, "row_count"), dg.AssetCheckKey(UNIFIED, "freshness")}
    assert ours <= graph.asset_check_keys
    for key in ours:
        assert graph.get_check_spec(key).blocking
    # one publisher's unsound staging is reported without stopping the others
    assert not graph.get_check_spec(dg.AssetCheckKey(UNIFIED, "publishers_healthy")).blocking
    assert row_count.op.pool == freshness.op.pool == "duckdb_warehouse"
    tests = [
        n
        for n in dbt_manifest["nodes"].values()
        if n["resource_type"] == "test" and n.get("attached_node")
    ]
    assert tests, "the dbt project has data tests"
    names = {k.name for k in graph.asset_check_keys}
    assert {t["name"] for t in tests} <= names


def test_schedule_refreshes_the_whole_graph_daily(defs: dg.Definitions) -> None:
    schedule = defs.resolve_schedule_def("daily_refresh")
    assert schedule.cron_schedule == "0 3 * * *"
    assert schedule.execution_timezone == "UTC"
    graph = defs.resolve_asset_graph()
    job = defs.resolve_job_def(schedule.job_name)
    assert set(job.asset_layer.selected_asset_keys) == set(graph.get_all_asset_keys())
    # in full: the incremental tables rebuild every publisher
    assert schedule.tags[FULL_REFRESH_TAG] == "true"


def test_sensors_are_wired(defs: dg.Definitions) -> None:
    sensor = defs.resolve_sensor_def("raw_download_sensor")
    job = defs.resolve_job_def(sensor.job_name)
    assert set(job.asset_layer.selected_asset_keys) == set(RAW)
    automation = defs.resolve_sensor_def("dbt_automation_sensor")
    assert isinstance(automation, dg.AutomationConditionSensorDefinition)
    assert automation.default_status == dg.DefaultSensorStatus.RUNNING


def requested_keys(result: Any, graph: Any) -> tuple[set[dg.AssetKey], set[dg.AssetCheckKey]]:
    assets = {k for k in graph.get_all_asset_keys() if result.get_num_requested(k)}
    checks = {
        r.key for r in result.results if isinstance(r.key, dg.AssetCheckKey) and r.true_subset.size
    }
    return assets, checks


def materialized_everything(instance: dg.DagsterInstance, graph: Any) -> None:
    for key in graph.get_all_asset_keys():
        instance.report_runless_asset_event(dg.AssetMaterialization(key))


def test_a_raw_load_refreshes_everything_downstream(defs: dg.Definitions) -> None:
    """Declarative automation: after raw/mind lands, the unified model and its blocking checks
    are requested together, and ticks go on until every model downstream of raw/mind is
    refreshed; the other publishers' staging models are left alone."""
    graph = defs.resolve_asset_graph()
    mind = dg.AssetKey(["raw", "mind"])
    downstream = dg.AssetSelection.assets(mind).downstream(include_self=False).resolve(graph)
    refreshed: set[dg.AssetKey] = set()
    with dg.DagsterInstance.ephemeral() as instance:
        materialized_everything(instance, graph)
        result = dg.evaluate_automation_conditions(defs=defs, instance=instance)
        assert result.total_requested == 0
        instance.report_runless_asset_event(dg.AssetMaterialization(mind))
        for tick in range(5):
            result = dg.evaluate_automation_conditions(
                defs=defs, instance=instance, cursor=result.cursor
            )
            assets, checks = requested_keys(result, graph)
            if tick == 0:
                assert UNIFIED in assets
                assert {dg.AssetCheckKey(UNIFIED, n) for n in ("row_count", "freshness")} <= checks
            if not assets:
                break
            refreshed |= assets
            for key in assets:  # what the requested run would record
                instance.report_runless_asset_event(dg.AssetMaterialization(key))
            for check in checks:
                instance.report_runless_asset_event(
                    dg.AssetCheckEvaluation(
                        asset_key=check.asset_key, check_name=check.name, passed=True
                    )
                )
    assert refreshed == downstream


def test_a_failed_blocking_check_holds_the_marts_back(defs: dg.Definitions) -> None:
    graph = defs.resolve_asset_graph()
    below = dg.AssetSelection.assets(UNIFIED).downstream(include_self=False).resolve(graph)
    with dg.DagsterInstance.ephemeral() as instance:
        materialized_everything(instance, graph)
        result = dg.evaluate_automation_conditions(defs=defs, instance=instance)
        instance.report_runless_asset_event(dg.AssetMaterialization(UNIFIED))
        instance.report_runless_asset_event(
            dg.AssetCheckEvaluation(
                asset_key=UNIFIED,
                check_name="row_count",
                passed=False,
                severity=dg.AssetCheckSeverity.ERROR,
            )
        )
        result = dg.evaluate_automation_conditions(
            defs=defs, instance=instance, cursor=result.cursor
        )
    assets, _ = requested_keys(result, graph)
    assert below
    assert not assets & below


def test_catalogue_descriptions_are_the_dbt_descriptions_without_raw_sql(
    defs: dg.Definitions, dbt_manifest: dict[str, Any]
) -> None:
    specs = {s.key: s for s in defs.resolve_all_asset_specs()}
    for name, node in models(dbt_manifest).items():
        description = specs[dg.AssetKey(name)].description or ""
        assert "Raw SQL" not in description and "```" not in description, name
        assert description.startswith(node["description"].strip()), name
        assert f"`{node['original_file_path']}`" in description
    for key, spec in specs.items():
        assert spec.description and "#### " not in spec.description, key


def test_the_editorial_report_follows_the_editorial_models(defs: dg.Definitions) -> None:
    graph = defs.resolve_asset_graph()
    assert graph.get(REPORT).parent_keys == {dg.AssetKey(n) for n in GROUPS["editorial"]}
    assert defs.get_assets_def(REPORT).op.pool == "duckdb_warehouse"
    automation = defs.resolve_sensor_def("dbt_automation_sensor")
    assert isinstance(automation, dg.AutomationConditionSensorDefinition)
    assert REPORT in automation.asset_selection.resolve(graph)


def test_the_research_exports_follow_the_models_they_read(defs: dg.Definitions) -> None:
    graph = defs.resolve_asset_graph()
    parents = graph.get(EXPORTS).parent_keys
    assert parents == {
        dg.AssetKey(n)
        for n in (
            "benchmark_splits",
            "benchmark_impressions",
            "benchmark_histories",
            "benchmark_news",
            "stg_unified_articles",
        )
    }
    assert defs.get_assets_def(EXPORTS).op.pool == "duckdb_warehouse"
    automation = defs.resolve_sensor_def("dbt_automation_sensor")
    assert isinstance(automation, dg.AutomationConditionSensorDefinition)
    assert EXPORTS in automation.asset_selection.resolve(graph)


@pytest.mark.parametrize(
    ("tags", "args"), [({FULL_REFRESH_TAG: "true"}, ["build", "--full-refresh"]), ({}, ["build"])]
)
def test_a_run_tagged_for_a_full_refresh_rebuilds_every_table(
    tags: dict[str, str], args: list[str]
) -> None:
    context = SimpleNamespace(run=SimpleNamespace(tags=tags))
    assert dbt_build_args(context) == args  # type: ignore[arg-type]
