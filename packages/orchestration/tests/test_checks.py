"""`row_count` and `freshness` on a small hand-made warehouse, and their verdict rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest
from conftest import layout_resource
from ingestion import Layout
from orchestration.dbt_project import relation_name
from orchestration.defs.checks import (
    evaluate_freshness,
    evaluate_row_counts,
    expected_publishers,
    freshness,
    row_count,
)
from orchestration.settings import freshness_as_of

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def unified_table(base: Path, rows: list[tuple[str, datetime]], dataset: str = "live") -> None:
    """`stg_unified_impressions` where dbt would put it, with (publisher, impression_time) rows
    of one `dataset`."""
    database, schema, table = (
        p.strip('"') for p in relation_name("stg_unified_impressions").split(".")
    )
    with duckdb.connect(str(base / f"{database}.duckdb")) as con:
        con.execute(f"create schema if not exists {schema}")
        con.execute(
            f"create table {schema}.{table} "
            "(publisher varchar, dataset varchar, impression_time timestamp)"
        )
        con.executemany(
            f"insert into {schema}.{table} values (?, ?, ?)",
            [(p, dataset, t.astimezone(UTC).replace(tzinfo=None)) for p, t in rows],
        )


def check_context(base: Path) -> dg.AssetCheckExecutionContext:
    return dg.build_asset_check_context(
        resources={"layout": layout_resource(base)}, instance=dg.DagsterInstance.ephemeral()
    )


def download(base: Path, publisher: str, name: str) -> None:
    """A file the publisher's loader reads (its content does not matter to the checks)."""
    path = base / "raw-download" / publisher / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"{}\n")


def rows(counts: dict[str, int], newest: datetime) -> list[tuple[str, datetime]]:
    return [(p, newest - timedelta(minutes=i)) for p, n in counts.items() for i in range(n)]


def metadata(result: dg.AssetCheckResult) -> dict[str, Any]:
    return {k: v.value for k, v in result.metadata.items()}


def test_row_count_names_a_missing_publisher() -> None:
    result = evaluate_row_counts({"ebnerd": 500, "mind": 500}, minimum=100)
    assert not result.passed
    assert "adressa: no rows" in result.description
    assert metadata(result)["rows/adressa"] == 0
    assert metadata(result)["missing_publishers"] == ["adressa"]


def test_row_count_fails_a_thin_publisher_and_passes_a_full_set() -> None:
    thin = evaluate_row_counts({"ebnerd": 500, "adressa": 99, "mind": 500}, minimum=100)
    assert not thin.passed
    assert "adressa: 99 rows < 100" in thin.description
    assert evaluate_row_counts({"ebnerd": 100, "adressa": 100, "mind": 100}, minimum=100).passed


def test_freshness_budget_is_measured_per_publisher() -> None:
    budget = timedelta(hours=48)
    newest = {"ebnerd": NOW - timedelta(hours=1), "mind": NOW - timedelta(hours=49)}
    as_of = dict.fromkeys(newest, (NOW, "now"))
    result = evaluate_freshness(newest, as_of, budget)
    assert not result.passed
    assert result.description.startswith("mind: newest impression 49.0 h before")
    assert metadata(result)["age_hours/ebnerd"] == 1.0
    assert metadata(result)["as_of_rule/mind"] == "now"
    fresh = {"mind": NOW - timedelta(hours=47)}
    assert evaluate_freshness(fresh, {"mind": (NOW, "now")}, budget).passed
    assert not evaluate_freshness({}, {}, budget).passed


def test_a_historical_release_is_judged_by_its_own_last_event(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    layout = Layout.at(data_dir)
    moment, rule = freshness_as_of(layout, "mind", ["MINDsmall_train", "MINDsmall_dev"])
    assert moment == datetime(2019, 11, 15, 23, 59, 59, tzinfo=UTC)
    assert "mind-small-dev" in rule and "mind-small-train" in rule
    ebnerd, _ = freshness_as_of(layout, "ebnerd", ["ebnerd_small/train", "ebnerd_small/validation"])
    assert ebnerd.year == 2023
    # a dataset no release is called (a folder of the user's own): judged as live data
    assert freshness_as_of(layout, "mind", ["MINDsmall_train", "my_export"])[1] == "now"
    monkeypatch.setenv("NEWSREC_FRESHNESS_AS_OF", "2026-03-02T12:00:00")
    assert freshness_as_of(layout, "mind", ["MINDsmall_train"]) == (
        datetime(2026, 3, 2, 12, tzinfo=UTC),
        "$NEWSREC_FRESHNESS_AS_OF",
    )


def test_only_the_publishers_with_downloads_are_expected(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    layout = Layout.at(data_dir)
    download(data_dir, "mind", "MINDsmall_train/behaviors.tsv")
    assert expected_publishers(layout, {})[0] == ["mind"]
    # a publisher that had rows at the last check and has no downloads now is still expected
    assert expected_publishers(layout, {"adressa": 70, "ebnerd": 0})[0] == ["adressa", "mind"]
    monkeypatch.setenv("NEWSREC_PUBLISHERS", "mind, ebnerd")
    assert expected_publishers(layout, {"adressa": 70}) == (
        ["ebnerd", "mind"],
        "$NEWSREC_PUBLISHERS",
    )
    monkeypatch.setenv("NEWSREC_PUBLISHERS", "mind,bbc")
    with pytest.raises(ValueError, match="NEWSREC_PUBLISHERS"):
        expected_publishers(layout, {})


def test_row_count_check_reads_the_warehouse(
    data_dir: Path, dbt_manifest: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    unified_table(data_dir, rows({"ebnerd": 3, "adressa": 5, "mind": 4}, NOW))
    monkeypatch.setenv("NEWSREC_PUBLISHERS", "ebnerd,adressa,mind")
    monkeypatch.setenv("NEWSREC_MIN_ROWS_PER_PUBLISHER", "4")
    result = row_count(check_context(data_dir))
    assert not result.passed
    assert metadata(result)["rows/ebnerd"] == 3
    assert "ebnerd: 3 rows < 4" in result.description
    monkeypatch.setenv("NEWSREC_MIN_ROWS_PER_PUBLISHER", "3")
    assert row_count(check_context(data_dir)).passed


def test_a_mind_only_user_passes_and_an_empty_landing_zone_fails(
    data_dir: Path, dbt_manifest: dict[str, Any]
) -> None:
    unified_table(data_dir, rows({"mind": 150}, NOW))
    empty = row_count(check_context(data_dir))
    assert not empty.passed
    assert "no publisher has downloads" in empty.description
    download(data_dir, "mind", "MINDsmall_train/behaviors.tsv")
    result = row_count(check_context(data_dir))
    assert result.passed, result.description
    assert metadata(result)["expected_publishers"] == ["mind"]


def test_freshness_check_uses_the_as_of_time_and_budget(
    data_dir: Path, dbt_manifest: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    unified_table(data_dir, rows({"ebnerd": 2, "adressa": 2, "mind": 2}, NOW))
    monkeypatch.setenv("NEWSREC_FRESHNESS_AS_OF", "2026-03-02T12:00:00Z")
    assert freshness(layout=layout_resource(data_dir)).passed
    monkeypatch.setenv("NEWSREC_FRESHNESS_AS_OF", "2026-03-03T12:00:01+00:00")
    stale = freshness(layout=layout_resource(data_dir))
    assert not stale.passed
    assert metadata(stale)["budget_hours"] == 48.0
    monkeypatch.setenv("NEWSREC_FRESHNESS_BUDGET_HOURS", "72")
    assert freshness(layout=layout_resource(data_dir)).passed
