"""`newsrec-sql`: a table from the warehouse, opened read-only; one clear line when it cannot."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from ingestion import DATA_DIR_ENV, Layout
from orchestration.query import main, open_warehouse


def newsrec_sql(layout: Layout, *args: str) -> subprocess.CompletedProcess[str]:
    """The console script as a user runs it, its output piped."""
    return subprocess.run(
        [str(Path(sys.executable).with_name("newsrec-sql")), *args],
        env={**os.environ, DATA_DIR_ENV: str(layout.data_dir)},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_a_query_prints_a_plain_table(built: Layout) -> None:
    result = newsrec_sql(
        built,
        "select publisher, count(*) as articles, sum(clicks) as clicks "
        "from marts.mart_article_performance group by publisher order by publisher",
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["publisher", "articles", "clicks"]
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        expected = con.execute(
            "select publisher, count(*), sum(clicks) from marts.mart_article_performance "
            "group by publisher order by publisher"
        ).fetchall()
    body = [line.split() for line in lines[2:-1] if line.strip()]
    assert body == [[p, str(n), str(c)] for p, n, c in expected]
    assert lines[-1].startswith(f"({len(expected)} rows, ")
    assert "\x1b" not in result.stdout


def test_csv_output_and_the_row_limit(
    built: Layout, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(built.data_dir))
    sql = "select user_key, impressions from marts.dim_users order by user_key"
    assert main([sql, "--csv", "--max-rows", "5"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["user_key", "impressions"]
    assert len(rows) == 6


def test_the_warehouse_is_opened_read_only(built: Layout) -> None:
    result = newsrec_sql(built, "create table marts.scratch as select 1 as x")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "read-only" in result.stderr
    with open_warehouse(built) as con:
        assert con.execute("select current_setting('access_mode')").fetchone()[0] == "read_only"


def test_no_warehouse_yet_is_one_line_that_says_how_to_build_it(tmp_path: Path) -> None:
    result = newsrec_sql(Layout.at(tmp_path), "select 1")
    assert result.returncode == 2
    assert result.stderr.startswith(f"newsrec-sql: no warehouse at {tmp_path / 'warehouse.duckdb'}")
    assert "make demo" in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "warehouse.duckdb").exists()


def test_a_sql_error_is_one_line(built: Layout) -> None:
    result = newsrec_sql(built, "select nope from marts.dim_users")
    assert result.returncode == 1
    assert result.stderr.startswith("newsrec-sql: Binder Error:")
    assert result.stderr.count("\n") == 1
