"""The whole graph materialised in-process on generated scale-1 data, as `make demo` does."""

from __future__ import annotations

import io
import shutil
import tarfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest
from conftest import copy_sample, layout_resource
from ingestion import Layout, install_lake_rules
from ingestion import publisher as describe
from orchestration.console import RunConsole
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


def columns(metadata: Any) -> dict[str, dg.TableColumn]:
    return {c.name: c for c in metadata["dagster/column_schema"].value.columns}


def lake_rows(base: Path, publisher: str) -> int:
    """Visible rows of every raw table of a publisher, by the readers' rule."""
    with install_lake_rules(duckdb.connect(), Layout.at(base)) as con:
        return sum(
            con.execute(
                "select count(*) from lake_visible_rows(?, ?)", [f"raw_{publisher}", t]
            ).fetchone()[0]
            for t in describe(publisher).tables
        )


def test_everything_materialises_and_every_check_passes(
    defs: dg.Definitions, sample: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = copy_sample(sample, data_dir)
    screen = io.StringIO()
    summary = materialize(dg.AssetSelection.all(), Layout.at(data_dir), RunConsole(screen))
    print(summary.render())
    assert summary.ok, summary.render()
    # the run's own output: a few plain lines, not Dagster's every event nor dbt's log
    shown = screen.getvalue()
    assert "dbt_up_to_unified: done in" in shown and "editorial_report: done in" in shown
    assert len(shown.splitlines()) < 60, shown
    assert "STEP_OUTPUT" not in shown and "START sql" not in shown and "\x1b" not in shown
    assert summary.output_log is not None and "START sql" in summary.output_log.read_text()
    assert set(summary.rows) == set(defs.resolve_asset_graph().get_all_asset_keys())
    assert not summary.not_materialized
    assert statuses(summary)["stg_unified_impressions:row_count"] == "PASS"
    assert statuses(summary)["stg_unified_impressions:freshness"] == "PASS"
    expected = {
        p: (r["impressions"], r["candidates"], r["clicks"], r["unlabeled_candidates"])
        for p, r in report["publishers"].items()
    }
    assert unified_counts(data_dir) == expected

    # dbt models: row counts (tables) and the columns as built, described from the YAML
    unified = summary.metadata[UNIFIED]
    assert unified["dagster/row_count"].value == sum(r[1] for r in expected.values())
    built = columns(unified)
    assert list(built)[:3] == ["publisher", "dataset", "impression_key"]
    assert built["impression_key"].type == "VARCHAR"
    assert "Unique per impression" in built["impression_key"].description
    fct = summary.metadata[dg.AssetKey("fct_impressions")]  # a view: columns, not counted
    assert "dagster/row_count" not in fct and "article_key" in columns(fct)

    # the editorial report: every publisher's charts on the asset's page
    charts = summary.metadata[dg.AssetKey("editorial_report")]
    assert Path(charts["index"].value).is_file()
    for publisher in ("ebnerd", "adressa", "mind"):
        assert "](data:image/png;base64," in charts[f"charts/{publisher}"].value

    # the leaderboard on its asset's page; every split exported, as newsrec-export writes it
    board = summary.metadata[dg.AssetKey("benchmark_leaderboard")]["leaderboard"].value
    with duckdb.connect(str(Layout.at(data_dir).warehouse), read_only=True) as con:
        scored = con.execute(
            "select count(*), count(distinct publisher) from research.benchmark_leaderboard"
        ).fetchone()
    assert board.startswith("| publisher | dataset | split |") and scored[1] == 3
    assert len(board.splitlines()) == 2 + scored[0]
    exports = summary.metadata[dg.AssetKey("research_exports")]
    exported = Layout.at(data_dir).exports
    zips = sorted(p.name for p in (exported / "mind").glob("*.zip"))
    assert "MINDsmall_dev.zip" in zips and "adressa_one_week_test_mind.zip" in zips
    parquet = list((exported / "parquet").glob("*/*/impressions.parquet"))
    assert exports["files"].value == len(zips) + len(parquet) and len(parquet) >= 8
    assert "`mind/MINDsmall_dev.zip`" in exports["written"].value
    assert f"research_exports {exports['files'].value} files" in summary.render()

    # raw assets say what the lake holds, also after a run that loads nothing
    mind = dg.AssetKey(["raw", "mind"])
    held = lake_rows(data_dir, "mind")
    assert summary.metadata[mind]["dagster/row_count"].value == held
    again = materialize(dg.AssetSelection.assets(mind), Layout.at(data_dir), RunConsole(screen))
    after = again.metadata[mind]
    assert after["status"].value == "up_to_date" and after["rows_loaded"].value == 0
    assert after["dagster/row_count"].value == held
    assert after["rows/behaviors"].value == report["publishers"]["mind"]["impressions"]
    assert after["source_file_count"].value == 3
    raw_columns = columns(after)
    assert raw_columns["behaviors.impression_id"].type == "VARCHAR"
    assert "raw-download" in raw_columns["news._source_file"].description

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
    release = landing / "adressa" / "one_week.tar.gz"
    with tarfile.open(release, "r:gz") as archive:
        days = [(m, archive.extractfile(m).read()) for m in archive if m.isfile()]
    views = [line for line in days[0][1].splitlines() if b'"id"' in line]
    repeats = b"\n".join(views[:3]) + b"\n"
    # the release again, with one more daily file repeating three of its first day's events
    with tarfile.open(release, "w:gz") as archive:
        for member, data in days:
            archive.addfile(member, io.BytesIO(data))
        extra = tarfile.TarInfo(f"{days[0][0].name.rsplit('/', 1)[0]}/20990101")
        extra.size = len(repeats)
        archive.addfile(extra, io.BytesIO(repeats))
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
