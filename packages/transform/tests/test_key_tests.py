"""The key tests, which group on a hash of the key first, still fail on a repeated key."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import duckdb
from conftest import DBT, dbt_build
from transform import DBT_PROJECT_DIR


def dbt_test(base: Path, *selection: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(DBT),
            "test",
            "--select",
            *selection,
            "--target-path",
            str(base / "dbt-target"),
            "--log-path",
            str(base / "dbt-logs"),
        ],
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, "NEWSREC_DATA_DIR": str(base)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_repeated_key_fails_unique_and_unique_combination(data: Path) -> None:
    dbt_build(data)  # an empty lake: every model built, empty
    with duckdb.connect(str(data / "warehouse.duckdb")) as con:
        con.execute(
            "insert into staging.stg_unified_impressions "
            "(publisher, dataset, impression_key, impression_id, user_id, article_id, position, "
            "impression_time) "
            "select 'mind', 'MINDsmall_train', 'mind:MINDsmall_train:' || (range % 2), '1', "
            "'U1', 'N1', 0, timestamp '2019-11-09 00:05:01' from range(3)"
        )
        con.execute(
            "insert into marts.dim_users (user_key, publisher, user_id, first_seen_at, "
            "last_seen_at) select 'mind:U' || (range % 2), 'mind', 'U' || (range % 2), "
            "timestamp '2019-11-09', timestamp '2019-11-09' from range(3)"
        )
    result = dbt_test(data, "stg_unified_impressions", "dim_users")
    assert result.returncode != 0
    # one key repeated (twice) in each; the other is unique
    assert "FAIL 1 unique_combination_stg_unified_impressions_impression_key__position" in (
        result.stdout
    )
    assert "FAIL 1 unique_dim_users_user_key" in result.stdout
    assert "PASS not_null_stg_unified_impressions_impression_key" in result.stdout
