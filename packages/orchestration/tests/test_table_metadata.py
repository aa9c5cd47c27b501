"""dbt assets' metadata read back from a built warehouse, read-only: every model's columns as
built, a row count for tables only."""

from __future__ import annotations

from typing import Any

import dagster as dg
import duckdb
from ingestion import Layout
from orchestration.defs.assets.dbt import with_table_metadata


def output(manifest: dict[str, Any], model: str) -> dg.Output:
    """A model's Output as dagster-dbt yields it, before metadata is attached."""
    return dg.Output(None, output_name=model, metadata={"unique_id": f"model.newsrec.{model}"})


def test_tables_get_rows_and_columns_views_get_columns(
    built: Layout, dbt_manifest: dict[str, Any]
) -> None:
    events = [
        output(dbt_manifest, "dim_users"),
        output(dbt_manifest, "fct_impressions"),
        dg.AssetCheckResult(passed=True, asset_key="dim_users", check_name="x"),
    ]
    table, view, check = list(with_table_metadata(events, built.warehouse))
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        users = con.execute("select count(*) from marts.dim_users").fetchone()[0]
        described = con.execute("describe marts.dim_users").fetchall()
    assert table.metadata["dagster/row_count"].value == users
    schema = table.metadata["dagster/column_schema"].value
    assert [(c.name, c.type) for c in schema.columns] == [(n, t) for n, t, *_ in described]
    yaml = dbt_manifest["nodes"]["model.newsrec.dim_users"]["columns"]
    documented = {c.name: c.description for c in schema.columns if c.description}
    assert documented and all(yaml[n]["description"] == d for n, d in documented.items())
    assert "dagster/row_count" not in view.metadata
    assert "article_key" in {c.name for c in view.metadata["dagster/column_schema"].value.columns}
    assert check is events[2]
