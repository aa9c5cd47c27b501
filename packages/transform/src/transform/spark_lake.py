"""The raw lake's visible rows, decided by the lake's own rule, written where Spark reads them.

The visibility rule is DuckDB SQL in the ingestion package (`install_lake_rules`), written once.
Spark does not run it: before dbt builds on the `spark` target, this module runs the rule with
DuckDB and writes its answer as two small Parquet files under `Layout.spark / "lake"`:

- `tables.parquet`: every raw table (dataset, table_name), whether it is `ready` (has a finished
  load: `lake_table_ready`) and the `location` of its Parquet files;
- `visible.parquet`: the (dataset, source_file, load_id) pairs of the newest finished load's
  inventory (`lake_current_inventory`): a row is visible when its `_source_file` and
  `_dlt_load_id` are one of them, exactly as `lake_visible_rows` decides.

The Spark sources (`spark__lake_source` in macros/lake.sql) semi-join the table's rows with these
pairs. Each file is written beside its final name and renamed into place, so a reader sees the
previous answer or the new one. The lake keeps the files of the load before the newest
(`lake_live_loads`), so an answer stays readable while one more load finishes.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
from ingestion import PUBLISHERS, Layout, install_lake_rules, publisher

TABLES_FILE = "tables.parquet"
VISIBLE_FILE = "visible.parquet"


def lake_answer_dir(layout: Layout) -> Path:
    """Where the answer is written: the Spark macros read `$NEWSREC_DATA_DIR/spark/lake/`."""
    return layout.spark / "lake"


def write_spark_lake(layout: Layout) -> Path:
    """Run the lake's visibility rule for every publisher's raw tables and write its answer for
    Spark. Returns the folder written."""
    target = lake_answer_dir(layout)
    target.mkdir(parents=True, exist_ok=True)
    con = install_lake_rules(duckdb.connect(), layout)
    con.execute(
        "create table tables (dataset varchar, table_name varchar, ready boolean, location varchar)"
    )
    con.execute("create table visible (dataset varchar, source_file varchar, load_id varchar)")
    for name in PUBLISHERS:
        dataset = f"raw_{name}"
        ready_tables = []
        for table in publisher(name).tables:
            ready = bool(
                con.execute("select lake_table_ready(?, ?)", [dataset, table]).fetchone()[0]
            )
            location = (layout.lake / dataset / table).as_posix() + "/*.parquet"
            con.execute("insert into tables values (?, ?, ?, ?)", [dataset, table, ready, location])
            ready_tables.append(ready)
        if any(ready_tables):
            con.execute(
                "insert into visible select ?, source_file, rows_load_id "
                "from lake_current_inventory(?) where rows_load_id is not null",
                [dataset, dataset],
            )
    for table, file_name in (("tables", TABLES_FILE), ("visible", VISIBLE_FILE)):
        final = target / file_name
        partial = target / f".{file_name}.partial"
        quoted = partial.as_posix().replace("'", "''")
        con.execute(f"copy {table} to '{quoted}' (format parquet)")
        os.replace(partial, final)
    con.close()
    return target


def main() -> None:
    """`newsrec-spark-lake`: write the answer for `$NEWSREC_DATA_DIR`'s lake."""
    print(write_spark_lake(Layout.from_env()))
