"""MIND exported and loaded again by the ingestion gives back exactly the unified rows it came
from: the export is MIND's format as the ingestion (and MIND's tools) read it."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
from conftest import dbt_build, land
from research.export import export

COLUMNS = (
    "publisher, dataset, impression_key, impression_id, user_id, article_id, position, "
    "impression_time, clicked, split, device_type, session_id, dwell_time_s"
)


def test_mind_exported_and_ingested_again_is_unchanged(warehouse: Path, tmp_path: Path) -> None:
    written = export(warehouse, tmp_path / "exports", publisher="mind", fmt="mind")
    assert {w.path.name for w in written} == {
        "MINDsmall_train.zip",
        "MINDsmall_dev.zip",
        "MINDlarge_test.zip",
    }
    again = tmp_path / "again"
    downloads = again / "raw-download" / "mind"
    downloads.mkdir(parents=True)
    for item in written:
        shutil.copy(item.path, downloads / item.path.name)
    land(again, "mind")
    dbt_build(again, "--select", "+stg_unified_impressions")
    with duckdb.connect() as con:
        con.execute(f"attach '{warehouse}' as original (read_only)")
        con.execute(f"attach '{again / 'warehouse.duckdb'}' as reloaded (read_only)")
        mind = "from {} .staging.stg_unified_impressions where publisher = 'mind'"
        original = f"select {COLUMNS} {mind.format('original')}"
        reloaded = f"select {COLUMNS} {mind.format('reloaded')}"
        assert con.execute(f"{original} except all {reloaded}").fetchall() == []
        assert con.execute(f"{reloaded} except all {original}").fetchall() == []
        counts = con.execute(
            f"select (select count(*) {mind.format('original')}), "
            f"(select count(*) {mind.format('reloaded')})"
        ).fetchone()
    assert counts[0] == counts[1] > 50_000
