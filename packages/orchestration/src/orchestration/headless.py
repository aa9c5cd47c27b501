"""Materialise a selection of the graph through Dagster without the UI, and say what happened:
rows per asset, grouped by layer, and every check's result. Used by the `demo` and
`materialize` commands.

While it runs, a `RunConsole` shows a few lines (steps ending, progress, warnings); dbt's own
output goes to a file, named in the summary, instead of the screen."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg
from ingestion import Layout

from orchestration.console import RunConsole
from orchestration.instance import persistent_instance, release_abandoned_runs, runner_tag

LAYERS = ("raw", "staging", "unified", "marts", "editorial", "research")
"""The asset groups, in the order data flows through them."""


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
    layers: dict[dg.AssetKey, str] = field(default_factory=dict)
    metadata: dict[dg.AssetKey, Mapping[str, Any]] = field(default_factory=dict)
    """Each materialised asset's metadata, as the run recorded it."""
    output_log: Path | None = None
    """Where dbt's own output of the run went."""

    def count(self, status: str) -> int:
        return sum(c.status == status for c in self.checks)

    @property
    def ok(self) -> bool:
        """Everything materialised and no check failed; warnings do not fail a run."""
        return (
            self.success
            and not self.not_materialized
            and not any(c.status in ("FAIL", "NOT RUN") for c in self.checks)
        )

    def render(self, styled: bool = False) -> str:
        """A few lines: the verdict, rows per asset by layer, then only the checks that did not
        pass. `styled` adds terminal colours."""
        paint = _painter(styled)
        verdict = paint("SUCCESS", "ok") if self.ok else paint("FAILED", "fail")
        materialised = len(self.rows)
        lines = [
            f"run {self.run_id[:8]} {verdict} in {self.seconds:.1f} s: "
            f"{materialised} of {materialised + len(self.not_materialized)} assets materialised; "
            f"checks {self._check_counts(paint)}",
            "",
        ]
        width = max(len(layer) for layer in LAYERS)
        for layer in self._layers():
            items = sorted(
                f"{key.to_user_string()} {text}"
                for key, text in self.rows.items()
                if self.layers.get(key, "other") == layer
            )
            missing = [k for k in self.not_materialized if self.layers.get(k, "other") == layer]
            if missing:
                items.append(paint(f"{len(missing)} not materialised", "fail"))
            lines += _fill(items, f"{layer:<{width}}  ")
        for status, title, style in (("FAIL", "failed", "fail"), ("WARN", "warned", "warn")):
            found = [c for c in self.checks if c.status == status]
            if found:
                lines += ["", paint(f"{title}:", style)]
                lines += [
                    f"  {c.key.asset_key.to_user_string()} · {c.key.name}"
                    + (f": {c.description}" if c.description else "")
                    for c in found
                ]
        if self.not_materialized:
            lines += ["", paint("not materialised:", "fail")]
            lines += _fill(sorted(k.to_user_string() for k in self.not_materialized), "  ")
        if self.output_log is not None:
            lines += ["", f"dbt's output: {self.output_log}"]
        return "\n".join(lines)

    def _check_counts(self, paint: Any) -> str:
        parts = [f"{self.count('PASS')} passed"]
        for status, word, style in (
            ("WARN", "warned", "warn"),
            ("FAIL", "failed", "fail"),
            ("NOT RUN", "not run", "fail"),
        ):
            if self.count(status):
                parts.append(paint(f"{self.count(status)} {word}", style))
        return ", ".join(parts)

    def _layers(self) -> list[str]:
        present = set(self.layers.get(k, "other") for k in [*self.rows, *self.not_materialized])
        return [layer for layer in (*LAYERS, "other") if layer in present]


def _fill(items: list[str], indent: str, width: int = 100) -> list[str]:
    """Items joined by " · " into lines of at most `width`, never breaking an item."""
    lines: list[str] = []
    line = ""
    for item in items:
        if line and len(indent) + len(line) + 3 + len(item) > width:
            lines.append(line)
            line = ""
        line = f"{line} · {item}" if line else item
    lines.append(line)
    return [(indent if i == 0 else " " * len(indent)) + text for i, text in enumerate(lines)]


def _painter(styled: bool) -> Any:
    codes = {"ok": "32", "fail": "31", "warn": "33"}

    def paint(text: str, style: str) -> str:
        return f"\x1b[{codes[style]}m{text}\x1b[0m" if styled else text

    return paint


def upstream_of(names: Sequence[str]) -> dg.AssetSelection:
    """`+<asset>` for each name: the assets and everything they are built from."""
    keys = [dg.AssetKey.from_user_string(name) for name in names]
    return dg.AssetSelection.assets(*keys).upstream()


def materialize(
    selection: dg.AssetSelection,
    layout: Layout,
    console: RunConsole | None = None,
    tags: Mapping[str, str] | None = None,
) -> RunSummary:
    """One run of the selected assets and their checks, in this process, with `tags`; `console`
    (default: stderr) shows its progress, dbt's output goes to
    `<data dir>/dbt/logs/headless-run.log`."""
    defs = load_definitions()
    graph = defs.resolve_asset_graph()
    selected = selection.resolve(graph)
    keys = [k for k in graph.toposorted_asset_keys if k in selected]
    console = console or RunConsole()
    # the subset first: taking it rebuilds the job and would drop the logger
    job = (
        defs.resolve_implicit_global_asset_job_def()
        .get_subset(asset_selection=set(keys))
        .with_logger_defs({"console": console.logger_def()})
    )
    output_log = layout.dbt_logs / "headless-run.log"
    output_log.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with (
        persistent_instance(layout) as active,
        console,
        output_log.open("w", encoding="utf-8") as output,
        redirect_stdout(output),
    ):
        for run_id in release_abandoned_runs(active):
            console.line(f"run {run_id} was killed before it finished: marked failed", "warn")
        result = job.execute_in_process(
            instance=active,
            raise_on_error=False,
            tags={**runner_tag(), **(tags or {})},
            run_config={"loggers": {"console": {}}},
        )
    summary = RunSummary(
        result.run_id, result.success, time.perf_counter() - started, output_log=output_log
    )
    summary.layers = {key: graph.get(key).group_name or "other" for key in keys}
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
    summary.metadata = {k: events[k].metadata for k in keys if k in events}
    for key in keys:
        if key in events:
            summary.rows[key] = _rows_text(events[key].metadata)
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


def _rows_text(metadata: Mapping[str, Any]) -> str:
    """What one asset holds: rows (a raw asset: rows in the lake; a dbt table: rows built), a
    dbt view (not counted: that would run its query), the report's pages, or the files exported."""
    if "dagster/row_count" in metadata:
        return f"{metadata['dagster/row_count'].value:,}"
    if "unique_id" in metadata:
        return "view"
    if "pages" in metadata:
        return f"{len(metadata['pages'].value)} pages"
    if "files" in metadata:
        return f"{metadata['files'].value} files"
    return "materialised"
