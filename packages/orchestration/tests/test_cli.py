"""`python -m orchestration`: one clear line for every setup mistake, and a short summary that
tells warnings from passes."""

from __future__ import annotations

import io
import logging
import time
from pathlib import Path
from typing import Any

import dagster as dg
import pytest
from conftest import copy_sample
from orchestration.cli import main
from orchestration.console import RunConsole
from orchestration.headless import CheckOutcome, RunSummary

MARTS = dg.AssetKey("mart_article_performance")
UNIFIED = dg.AssetKey("stg_unified_impressions")


def test_an_unknown_asset_is_one_line_with_close_matches(
    dbt_manifest: dict[str, Any], sample: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy_sample(sample, data_dir)
    assert main(["materialize", "dim_user"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "unknown asset 'dim_user'; did you mean dim_users" in err
    assert "python -m orchestration assets" in err
    assert "Traceback" not in err and "DagsterInvalidSubsetError" not in err
    assert main(["materialize", "nonexistent"]) == 2
    assert "unknown asset 'nonexistent'" in capsys.readouterr().err


def test_assets_lists_every_key_by_group(
    defs: dg.Definitions, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["assets"]) == 0
    out = capsys.readouterr().out
    groups = [line[:-1] for line in out.splitlines() if not line.startswith(" ")]
    assert groups == ["raw", "staging", "unified", "marts", "editorial", "research"]
    listed = {line.strip() for line in out.splitlines() if line.startswith(" ")}
    assert listed == {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}


def test_the_demo_refuses_a_missing_data_directory_without_creating_it(
    dbt_manifest: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    missing = tmp_path / "nowhere"
    monkeypatch.setenv("NEWSREC_DATA_DIR", str(missing))
    assert main(["demo"]) == 2
    err = capsys.readouterr().err
    assert f"no data directory at {missing}" in err and "make sample" in err
    assert err.count("\n") == 1
    assert not missing.exists()


def test_nothing_to_ingest_says_what_to_run(
    dbt_manifest: dict[str, Any], data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["materialize", "dim_users"]) == 2
    err = capsys.readouterr().err
    assert "nothing to ingest" in err and "make sample" in err and "make download" in err
    assert not (data_dir / "lake").exists() and not (data_dir / "warehouse.duckdb").exists()


def summary(*checks: tuple[dg.AssetKey, str, str, str]) -> RunSummary:
    done = RunSummary("0123456789abcdef", True, 12.3)
    done.rows = {dg.AssetKey(["raw", "mind"]): "3,436", UNIFIED: "109,023", MARTS: "842"}
    done.layers = {dg.AssetKey(["raw", "mind"]): "raw", UNIFIED: "unified", MARTS: "marts"}
    done.checks = [CheckOutcome(dg.AssetCheckKey(k, n), s, d) for k, n, s, d in checks]
    return done


def test_a_warning_is_counted_apart_from_the_passes() -> None:
    warned = summary(
        (UNIFIED, "row_count", "PASS", ""),
        (MARTS, "relationships_x", "WARN", "Got 129 results, configured to warn if != 0"),
    )
    text = warned.render()
    assert warned.ok
    assert "checks 1 passed, 1 warned" in text.splitlines()[0]
    assert "warned:\n  mart_article_performance · relationships_x: Got 129 results" in text
    assert "all checks passed" not in text
    assert "\x1b" not in text
    layers = [line.split()[0] for line in text.splitlines()[2:5]]
    assert layers == ["raw", "unified", "marts"]
    assert "\x1b[33m1 warned\x1b[0m" in warned.render(styled=True)


def test_a_failed_check_fails_the_run_and_is_listed() -> None:
    failed = summary((UNIFIED, "row_count", "FAIL", "adressa: no rows"))
    failed.not_materialized = [MARTS]
    failed.rows.pop(MARTS)
    text = failed.render()
    assert not failed.ok
    assert text.startswith("run 01234567 FAILED")
    assert "failed:\n  stg_unified_impressions · row_count: adressa: no rows" in text
    assert "marts      1 not materialised" in text


def test_the_console_speaks_while_a_step_runs_and_stays_plain_off_a_terminal() -> None:
    screen = io.StringIO()
    log = logging.getLogger("test.console")
    log.handlers = []
    with RunConsole(screen, heartbeat_s=0.2) as console:
        console.logger_def()  # the logger the run uses forwards to `handle`
        start = logging.LogRecord("x", logging.DEBUG, "", 0, "", (), None)
        start.dagster_meta = {  # type: ignore[attr-defined]
            "step_key": "dbt_after_unified",
            "orig_message": "",
            "dagster_event": _Event(dg.DagsterEventType.STEP_START),
        }
        console.handle(start)
        time.sleep(0.7)
        chatter = logging.LogRecord("x", logging.INFO, "", 0, "Copying `a` to `b`", (), None)
        console.handle(chatter)
    lines = screen.getvalue().splitlines()
    assert any("running: dbt_after_unified (" in line for line in lines), lines
    assert not any("Copying" in line for line in lines)
    assert "\x1b" not in screen.getvalue()


class _Event:
    def __init__(self, kind: dg.DagsterEventType) -> None:
        self.event_type = kind
        self.step_failure_data = None
