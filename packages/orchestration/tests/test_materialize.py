"""The whole graph materialised in-process on generated scale-1 data, as `make demo` does."""

from __future__ import annotations

import shutil
import tarfile
from datetime import datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from conftest import copy_sample, layout_resource
from ingestion import Layout
from orchestration.dbt_project import relation_name
from orchestration.defs.checks import freshness, row_count
from orchestration.headless import RunSummary, materialize, upstream_of
from orchestration.settings import FRESHNESS_AS_OF_ENV

UNIFIED = dg.AssetKey("stg_unified_impressions")


def statuses(summary: RunSummary) -> dict[str, str]:
    return {f"{c.key.asset_key.to_user_string()}:{c.key.name}": c.status for c in summary.checks}


def unified_counts(base: Path) -> dict[str, tuple[int, int, int, int]]:
    """Per publisher: impressions, candidate rows, clicks, unlabeled rows."""
    with duckdb.connect(str(Layout.at(base).warehouse), read_only=True) as con:
        rows = con.execute(
            "select publisher, count(distinct impression_key), count(*), "
            "count(*) filter (where clicked), count(*) filter (where clicked is null) "
            f"from {relation_name('stg_unified_impressions')} group by publisher"
        ).fetchall()
    return {p: tuple(counts) for p, *counts in rows}


def test_everything_materialises_and_every_check_passes(
    defs: dg.Definitions, sample: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = copy_sample(sample, data_dir)
    summary = materialize(dg.AssetSelection.all(), Layout.at(data_dir))
    print(summary.render())
    assert summary.ok, summary.render()
    assert set(summary.rows) == set(defs.resolve_asset_graph().get_all_asset_keys())
    assert not summary.not_materialized
    assert statuses(summary)["stg_unified_impressions:row_count"] == "PASS"
    assert statuses(summary)["stg_unified_impressions:freshness"] == "PASS"
    expected = {
        p: (r["impressions"], r["candidates"], r["clicks"], r["unlabeled_candidates"])
        for p, r in report["publishers"].items()
    }
    assert unified_counts(data_dir) == expected

    # the same warehouse judged three days after the sample's end is stale
    end = datetime.fromisoformat(report["end"])
    monkeypatch.setenv(FRESHNESS_AS_OF_ENV, (end + timedelta(hours=72)).isoformat())
    context = dg.build_asset_check_context(resources={"layout": layout_resource(data_dir)})
    stale = freshness(context)
    assert not stale.passed
    assert row_count(context).passed


def test_a_publisher_without_files_is_not_expected(
    defs: dg.Definitions, sample: Path, data_dir: Path
) -> None:
    """A user with only MIND and EB-NeRD downloads gets every asset and every check green."""
    copy_sample(sample, data_dir)
    shutil.rmtree(data_dir / "raw-download" / "adressa")
    summary = materialize(dg.AssetSelection.all(), Layout.at(data_dir))
    assert summary.ok, summary.render()
    row_count = next(c for c in summary.checks if c.key.name == "row_count")
    assert row_count.status == "PASS"


def test_a_publisher_that_drops_out_fails_row_count_and_skips_the_marts(
    defs: dg.Definitions,
    sample: Path,
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Adressa had rows at the last check; its downloads go away: it fails by name."""
    home = tmp_path / "dagster-home"
    home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    copy_sample(sample, data_dir)
    assert materialize(dg.AssetSelection.all(), Layout.at(data_dir)).ok
    shutil.rmtree(data_dir / "raw-download" / "adressa")
    summary = materialize(dg.AssetSelection.all(), Layout.at(data_dir))
    checks = {c.key.name: c for c in summary.checks if c.key.asset_key == UNIFIED}
    assert checks["row_count"].status == "FAIL"
    assert "adressa: no rows" in checks["row_count"].description
    assert not summary.ok
    graph = defs.resolve_asset_graph()
    after = dg.AssetSelection.assets(UNIFIED).downstream(include_self=False).resolve(graph)
    gated = after - dg.AssetSelection.assets(UNIFIED).upstream().resolve(graph)
    assert gated
    assert gated <= set(summary.not_materialized)
    assert UNIFIED in summary.rows


def test_materialize_pulls_in_the_ingestion_it_needs(
    defs: dg.Definitions, sample: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make materialize SELECT=stg_unified_impressions` runs `+stg_unified_impressions`."""
    copy_sample(sample, data_dir)
    summary = materialize(upstream_of(["stg_unified_impressions"]), Layout.at(data_dir))
    assert summary.ok, summary.render()
    built = set(summary.rows)
    assert {dg.AssetKey(["raw", p]) for p in ("ebnerd", "adressa", "mind")} <= built
    graph = defs.resolve_asset_graph()
    assert built == dg.AssetSelection.assets(UNIFIED).upstream().resolve(graph)
    assert {c.key.name for c in summary.checks} >= {"row_count", "freshness"}


def test_one_publishers_unsound_staging_holds_back_only_that_publisher(
    defs: dg.Definitions, sample: Path, data_dir: Path
) -> None:
    """Adressa repeats events (real files do): kept once and counted. MIND has an impression
    id twice in one release: MIND is held back and named, the others reach the marts."""
    copy_sample(sample, data_dir)
    landing = Layout.at(data_dir).raw_download_root
    with tarfile.open(landing / "adressa" / "one_week.tar.gz", "r|gz") as archive:
        member = next(m for m in archive if m.isfile())
        views = [
            line for line in archive.extractfile(member).read().splitlines() if b'"id"' in line
        ]
    repeats = landing / "adressa" / "one_week" / "20990101"
    repeats.parent.mkdir()
    repeats.write_bytes(b"\n".join(views[:3]) + b"\n")
    twice = "7\tU1\t11/11/2019 9:05:58 AM\t\tN1-1 N2-0\n"
    (landing / "mind" / "MINDextra_train").mkdir()
    (landing / "mind" / "MINDextra_train" / "behaviors.tsv").write_text(twice * 2)

    summary = materialize(dg.AssetSelection.all(), Layout.at(data_dir))
    assert not summary.not_materialized  # the marts were built
    checks = {c.key.name: c for c in summary.checks if c.key.asset_key == UNIFIED}
    assert checks["publishers_healthy"].status == "FAIL"
    assert checks["publishers_healthy"].description.startswith("mind: held back")
    assert "1 repeated impression keys" in checks["publishers_healthy"].description
    assert checks["row_count"].status == "PASS"
    with duckdb.connect(str(Layout.at(data_dir).warehouse), read_only=True) as con:
        in_marts = con.execute(
            "select distinct publisher from marts.mart_article_performance order by 1"
        ).fetchall()
        dropped = con.execute(
            f"select duplicates_dropped from {relation_name('stg_unified_publisher_health')} "
            "where publisher = 'adressa'"
        ).fetchone()
    assert in_marts == [("adressa",), ("ebnerd",)]
    assert dropped == (3,)
