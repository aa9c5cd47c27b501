"""The physical floor for landing the raw downloads: the same members, decompressed and read by
DuckDB's own readers (read_csv, read_json, read_parquet) into a scratch database.

Usage: python bench/floor.py DATA_DIR [PUBLISHER ...]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb
from ingestion import PUBLISHERS, Layout, iter_members, publisher, snapshot

READERS = {
    (
        "mind",
        "behaviors",
    ): "read_csv({path}, delim = '\t', quote = '', escape = '', header = false, "
    "all_varchar = true, columns = {{'impression_id': 'varchar', 'user_id': 'varchar', "
    "'time': 'varchar', 'history': 'varchar', 'impressions': 'varchar'}})",
    ("mind", "news"): "read_csv({path}, delim = '\t', quote = '', escape = '', header = false, "
    "all_varchar = true)",
    ("mind", "entity_embedding"): "read_csv({path}, delim = '\t', header = false)",
    ("mind", "relation_embedding"): "read_csv({path}, delim = '\t', header = false)",
    ("ebnerd", "behaviors"): "read_parquet({path}, union_by_name = true)",
    ("ebnerd", "history"): "read_parquet({path}, union_by_name = true)",
    ("ebnerd", "articles"): "read_parquet({path}, union_by_name = true)",
    ("adressa", "events"): "read_json({path}, format = 'newline_delimited', ignore_errors = true)",
}


def land(layout: Layout, name: str, scratch: Path, con: duckdb.DuckDBPyConnection) -> int:
    """Extract the publisher's members (streamed) and create one table per raw table. Members
    are recognised by the loader's own rule (by name: nothing is parsed in Python)."""
    described = publisher(name)
    extracted: dict[str, list[str]] = {}
    for index, source in enumerate(snapshot(layout, name).files):
        for number, member in enumerate(iter_members(source)):
            found = described.classify(member)
            if found is None:
                continue
            table = found[0]
            target = scratch / name / f"{index}-{number}-{member.basename}"
            target.parent.mkdir(parents=True, exist_ok=True)
            with member.open() as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst, 8 << 20)
            extracted.setdefault(table, []).append(str(target))
    rows = 0
    for table, paths in extracted.items():
        reader = READERS[(name, table)].format(path=paths)
        con.execute(f"create table {name}_{table} as select * from {reader}")
        rows += con.execute(f"select count(*) from {name}_{table}").fetchone()[0]
    return rows


def main(argv: list[str]) -> int:
    layout = Layout.at(argv[0])
    publishers = argv[1:] or list(PUBLISHERS)
    with tempfile.TemporaryDirectory(prefix="newsrec-floor-", dir=layout.data_dir) as tmp:
        scratch = Path(tmp)
        con = duckdb.connect(str(scratch / "floor.duckdb"))
        for publisher in publishers:
            started = time.monotonic()
            rows = land(layout, publisher, scratch, con)
            print(f"floor {publisher}: {rows} rows in {time.monotonic() - started:.2f}s")
        con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
