"""Materialise a selection of the graph through Dagster without the UI, and say what happened:
rows per asset and every check's result. Used by the `demo` and `materialize` commands."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import dagster as dg
from ingestion import Layout

from orchestration.instance import persistent_instance, release_abandoned_runs, runner_tag


def load_definitions() -> dg.Definitions:
    from orchestration.definitions import defs

    return defs()


@dataclass(frozen=True)
class CheckOutcome:
    key: dg.AssetCheckKey
    status: str  # PASS, WARN, FAIL or NOT RUN
    description: str


@dataclass
class RunSummary:
    run_id: str
    success: bool
    seconds: float
    rows: dict[dg.AssetKey, str] = field(default_factory=dict)
    not_materialized: list[dg.AssetKey] = field(default_factory=list)
    checks: list[CheckOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.success
            and not self.not_materialized
            and all(c.status in ("PASS", "WARN") for c in self.checks)
        )

    def render(self) -> str:
        lines = [
            f"run {self.run_id}: {'SUCCESS' if self.success else 'FAILURE'} "
            f"in {self.seconds:.1f} s",
            "",
            "assets (rows):",
        ]
        assets = [(k.to_user_string(), v) for k, v in self.rows.items()]
        assets += [(k.to_user_string(), "NOT MATERIALISED") for k in self.not_materialized]
        width = max((len(name) for name, _ in assets), default=0)
        lines += [f"  {name:<{width}}  {text}" for name, text in assets]
        lines += ["", "checks:"]
        lines += [
            f"  {c.status:<7} {c.key.asset_key.to_user_string()} · {c.key.name}"
            + (f": {c.description}" if c.description and c.status != "PASS" else "")
            for c in self.checks
        ]
        lines += ["", "all assets materialised, all checks passed" if self.ok else "FAILED"]
        return "\n".join(lines)


def upstream_of(names: Sequence[str]) -> dg.AssetSelection:
    """`+<asset>` for each name: the assets and everything they are built from."""
    keys = [dg.AssetKey.from_user_string(name) for name in names]
    return dg.AssetSelection.assets(*keys).upstream()


def materialize(selection: dg.AssetSelection, layout: Layout) -> RunSummary:
    """One run of the selected assets and their checks, in this process."""
    defs = load_definitions()
    graph = defs.resolve_asset_graph()
    selected = selection.resolve(graph)
    keys = [k for k in graph.toposorted_asset_keys if k in selected]
    job = defs.resolve_implicit_global_asset_job_def()
    started = time.perf_counter()
    with persistent_instance(layout) as active:
        for run_id in release_abandoned_runs(active):
            print(f"run {run_id} was killed before it finished: marked failed")
        result = job.execute_in_process(
            instance=active,
            asset_selection=keys,
            raise_on_error=False,
            tags=runner_tag(),
            run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
        )
    summary = RunSummary(result.run_id, result.success, time.perf_counter() - started)
    planned = sorted(
        (c for c in graph.asset_check_keys if c.asset_key in keys), key=lambda c: c.to_user_string()
    )
    _collect(summary, result, keys, planned)
    return summary


def _collect(
    summary: RunSummary,
    result: dg.ExecuteInProcessResult,
    keys: list[dg.AssetKey],
    planned: list[dg.AssetCheckKey],
) -> None:
    events = {e.asset_key: e.materialization for e in result.get_asset_materialization_events()}
    summary.not_materialized = [k for k in keys if k not in events]
    for key in keys:
        if key not in events:
            continue
        metadata = events[key].metadata
        if "dagster/row_count" in metadata:
            summary.rows[key] = f"{metadata['dagster/row_count'].value:,}"
        elif key.path[0] != "raw":
            summary.rows[key] = "view"
        else:
            loaded = metadata["rows_loaded"].value if "rows_loaded" in metadata else 0
            status = metadata["status"].value if "status" in metadata else "materialised"
            summary.rows[key] = f"{loaded:,} rows loaded ({status})"
    evaluations = {e.asset_check_key: e for e in result.get_asset_check_evaluations()}
    for check in planned:
        evaluation = evaluations.get(check)
        if evaluation is None:
            summary.checks.append(CheckOutcome(check, "NOT RUN", "skipped or failed upstream"))
            continue
        if evaluation.passed:
            status = "PASS"
        elif evaluation.severity == dg.AssetCheckSeverity.WARN:
            status = "WARN"
        else:
            status = "FAIL"
        summary.checks.append(CheckOutcome(check, status, evaluation.description or ""))
