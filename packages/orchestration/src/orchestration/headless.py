"""Materialise a selection of the graph through Dagster without the UI, and say what happened:
rows per asset and every check's result. Used by the `demo` and `materialize` commands."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import dagster as dg
from ingestion import Layout

from orchestration.dbt_project import relation_name
from orchestration.warehouse import read_only


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
    with _instance() as active:
        result = job.execute_in_process(
            instance=active,
            asset_selection=keys,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
        )
    summary = RunSummary(result.run_id, result.success, time.perf_counter() - started)
    planned = sorted(
        (c for c in graph.asset_check_keys if c.asset_key in keys), key=lambda c: c.to_user_string()
    )
    _collect(summary, result, keys, planned, layout)
    return summary


@contextmanager
def _instance() -> Iterator[dg.DagsterInstance]:
    """The instance under $DAGSTER_HOME (so runs show in the UI), or a throwaway one."""
    if os.environ.get("DAGSTER_HOME"):
        with dg.DagsterInstance.get() as home:
            yield home
    else:
        with dg.DagsterInstance.ephemeral() as ephemeral:
            yield ephemeral


def _collect(
    summary: RunSummary,
    result: dg.ExecuteInProcessResult,
    keys: list[dg.AssetKey],
    planned: list[dg.AssetCheckKey],
    layout: Layout,
) -> None:
    events = {e.asset_key: e.materialization for e in result.get_asset_materialization_events()}
    summary.not_materialized = [k for k in keys if k not in events]
    models = [k for k in keys if k in events and k.path[0] != "raw"]
    counts = _model_rows(models, layout) if models else {}
    for key in keys:
        if key not in events:
            continue
        metadata = events[key].metadata
        if key in counts:
            summary.rows[key] = f"{counts[key]:,}"
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


def _model_rows(models: list[dg.AssetKey], layout: Layout) -> dict[dg.AssetKey, int]:
    """Rows in each built model, read back from the warehouse."""
    with read_only(layout.warehouse) as con:
        return {
            key: con.execute(f"select count(*) from {relation_name(key.path[-1])}").fetchone()[0]
            for key in models
        }
