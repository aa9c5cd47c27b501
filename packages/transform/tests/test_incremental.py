"""Incremental builds: a change to one publisher's lake rebuilds that publisher's rows only, and
gives, table for table and row for row, what a full rebuild gives."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
import yaml
from conftest import build_sample, dbt_build, query
from ingestion import PUBLISHERS, Layout, run_publisher
from sample import write_adressa_day
from transform import DBT_PROJECT_DIR

SCHEMAS = ("staging", "marts", "editorial", "research")


def builds(base: Path) -> dict[tuple[str, str], str]:
    """(table, publisher) → the dbt invocation that last built those rows."""
    rows = query(base, "select model, publisher, invocation_id from meta.model_builds")
    return {(model, publisher): invocation for model, publisher, invocation in rows}


def tables(warehouse: Path) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_schema in ? order by 1",
            [list(SCHEMAS)],
        ).fetchall()
    return [name for (name,) in rows]


def differences(left: Path, right: Path) -> dict[str, tuple[int, int]]:
    """Per table: rows only in `left`, rows only in `right` (as multisets). Doubles are compared
    to 9 decimals: DuckDB's parallel sums and averages differ in the last bits from run to run."""
    found = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{left}' as l (read_only)")
        con.execute(f"attach '{right}' as r (read_only)")
        for table in tables(left):
            schema, name = table.split(".")
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = 'l' and table_schema = ? and table_name = ? "
                "order by ordinal_position",
                [schema, name],
            ).fetchall()
            select = ", ".join(
                f'round("{c}", 9)' if t in ("DOUBLE", "FLOAT") else f'"{c}"' for c, t in columns
            )
            only = [
                con.execute(
                    f"select count(*) from (select {select} from {a}.{table} "
                    f"except all select {select} from {b}.{table})"
                ).fetchone()[0]
                for a, b in (("l", "r"), ("r", "l"))
            ]
            if any(only):
                found[table] = tuple(only)
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    base = tmp_path_factory.mktemp("incremental")
    return base, build_sample(base)


def test_the_publishers_var_is_the_ingestions_list() -> None:
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["vars"]["publishers"] == sorted(PUBLISHERS)


def test_an_unchanged_lake_rebuilds_nothing(built: tuple[Path, dict]) -> None:
    base, _ = built
    before = builds(base)
    assert {p for _, p in before} == set(PUBLISHERS)
    dbt_build(base)
    assert builds(base) == before


def test_a_new_adressa_day_rebuilds_adressa_only_and_equals_a_full_rebuild(
    built: tuple[Path, dict],
) -> None:
    base, report = built
    layout = Layout.at(base)
    before = builds(base)
    adressa_rows = query(
        base, "select count(*) from staging.stg_unified_impressions where publisher = 'adressa'"
    )[0][0]
    new_days = layout.raw_download("adressa") / "new-days"
    new_days.mkdir()
    day = date.fromisoformat(report["end"][:10]) + timedelta(days=1)
    added = write_adressa_day(new_days, day, scale=1, seed=0)
    run_publisher("adressa", layout)

    dbt_build(base)
    after = builds(base)
    rebuilt = {key for key, invocation in after.items() if before.get(key) != invocation}
    assert rebuilt and {publisher for _, publisher in rebuilt} == {"adressa"}
    assert {model for model, _ in rebuilt} == {model for model, _ in before}
    grown = query(
        base, "select count(*) from staging.stg_unified_impressions where publisher = 'adressa'"
    )[0][0]
    assert grown == adressa_rows + added["candidates"]

    incremental = base.parent / f"{base.name}-incremental.duckdb"
    shutil.copyfile(layout.warehouse, incremental)
    dbt_build(base, "--full-refresh")
    full = layout.warehouse
    assert len(tables(full)) >= 18
    assert differences(incremental, full) == {}
