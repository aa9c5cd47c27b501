"""The lake on object storage: the scale-1 sample ingested into an S3 server on 127.0.0.1 (moto)
and built by `dbt build` from there gives the same warehouse, table for table and row for row,
as the same downloads landed in the local lake.

Run alone: `uv run --package transform pytest packages/transform -m s3`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from conftest import dbt_build
from ingestion import LAKE_URL_ENV, PUBLISHERS, Layout, lake_store, register_lake, run_publisher
from object_storage import S3Server, s3_server
from sample import generate_sample

pytestmark = pytest.mark.s3
SCHEMAS = ("staging", "marts", "editorial", "research")


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with s3_server() as server:
        yield server


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample, landed in the local lake and built."""
    base = tmp_path_factory.mktemp("local")
    generate_sample(Layout.at(base), scale=1, seed=0)
    for publisher in PUBLISHERS:
        run_publisher(publisher, Layout.at(base))
    dbt_build(base)
    return base


def relations(warehouse: Path) -> list[tuple[str, str]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select table_schema, table_name from information_schema.tables "
            f"where table_schema in {SCHEMAS} order by all"
        ).fetchall()
    return [(schema, name) for schema, name in rows]


def export(layout: Layout, to: Path) -> None:
    """Every table and view of the warehouse as a Parquet file, read the way every reader does:
    read-only, with the filesystem of `$NEWSREC_LAKE_URL` registered (the staging views read the
    lake; the local warehouse's read the local folder, which needs nothing).
    Computed doubles are rounded to 9 decimals: DuckDB sums them in parallel, in no fixed order,
    so two builds of the same lake differ in the last bits (0.08798391151332326 and …328)."""
    to.mkdir()
    with duckdb.connect(str(layout.warehouse), read_only=True) as con:
        register_lake(con)
        for schema, name in relations(layout.warehouse):
            shape = con.execute(f"describe {schema}.{name}").fetchall()
            columns = ", ".join(
                f'round("{c}", 9) as "{c}"' if kind in ("DOUBLE", "FLOAT") else f'"{c}"'
                for c, kind, *_ in shape
            )
            con.execute(
                f"copy (select {columns} from {schema}.{name}) "
                f"to '{to / f'{schema}.{name}.parquet'}'"
            )


def test_a_warehouse_built_from_object_storage_equals_the_local_one(
    s3: S3Server, local: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = tmp_path / "data"
    shutil.copytree(Layout.at(local).raw_download_root, Layout.at(base).raw_download_root)
    lake = Layout.at(base, s3.bucket_url("lake"))
    for name, value in {**s3.env, LAKE_URL_ENV: lake.lake_url}.items():
        monkeypatch.setenv(name, value)
    for publisher in PUBLISHERS:
        assert run_publisher(publisher, lake).status == "loaded"
    assert not (base / "lake" / "raw_mind").exists()  # the lake is in the bucket, not here
    assert all(lake_store(lake).has_dataset(publisher) for publisher in PUBLISHERS)
    dbt_build(base)

    assert relations(lake.warehouse) == relations(Layout.at(local).warehouse)
    assert len(relations(lake.warehouse)) > 30
    export(Layout.at(local), tmp_path / "local")
    export(lake, tmp_path / "s3")
    with duckdb.connect() as con:
        for schema, name in relations(lake.warehouse):
            a, b = (
                f"from read_parquet('{tmp_path / side / f'{schema}.{name}.parquet'}')"
                for side in ("local", "s3")
            )
            counts = con.execute(
                f"select (select count(*) from ({a})), "
                f"(select count(*) from ({a} except all {b})), "
                f"(select count(*) from ({b} except all {a}))"
            ).fetchone()
            assert counts[1:] == (0, 0), f"{schema}.{name}: {counts}"
