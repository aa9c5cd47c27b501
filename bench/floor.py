"""The physical floor for landing the raw downloads: the same members, decompressed and read by
DuckDB's own readers (read_csv, read_json, read_parquet) into a scratch database.

Usage: python bench/floor.py DATA_DIR [PUBLISHER ...]
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb
from ingestion.config import PUBLISHERS, raw_download_dir
from ingestion.discover import Member, iter_members, scan

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

# Which raw table a member is, by name alone: the floor imports no dlt and parses nothing itself.
TABLES = {
    "mind": {
        "behaviors.tsv": "behaviors",
        "news.tsv": "news",
        "entity_embedding.vec": "entity_embedding",
        "relation_embedding.vec": "relation_embedding",
    },
    "ebnerd": {
        "behaviors.parquet": "behaviors",
        "history.parquet": "history",
        "articles.parquet": "articles",
    },
}
ADRESSA_DAY = re.compile(r"^\d{8}$")


def table_of(publisher: str, member: Member) -> str | None:
    if publisher == "adressa":
        return "events" if ADRESSA_DAY.match(member.basename) else None
    return TABLES[publisher].get(member.basename)


def land(base: Path, publisher: str, scratch: Path, con: duckdb.DuckDBPyConnection) -> int:
    """Extract the publisher's members (streamed) and create one table per raw table."""
    files, _ = scan(raw_download_dir(publisher, base))
    extracted: dict[str, list[str]] = {}
    for index, source in enumerate(files):
        for number, member in enumerate(iter_members(source)):
            table = table_of(publisher, member)
            if table is None:
                continue
            target = scratch / publisher / f"{index}-{number}-{member.basename}"
            target.parent.mkdir(parents=True, exist_ok=True)
            with member.open() as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst, 8 << 20)
            extracted.setdefault(table, []).append(str(target))
    rows = 0
    for table, paths in extracted.items():
        reader = READERS[(publisher, table)].format(path=paths)
        con.execute(f"create table {publisher}_{table} as select * from {reader}")
        rows += con.execute(f"select count(*) from {publisher}_{table}").fetchone()[0]
    return rows


def main(argv: list[str]) -> int:
    base = Path(argv[0])
    publishers = argv[1:] or list(PUBLISHERS)
    with tempfile.TemporaryDirectory(prefix="newsrec-floor-", dir=base) as tmp:
        scratch = Path(tmp)
        con = duckdb.connect(str(scratch / "floor.duckdb"))
        for publisher in publishers:
            started = time.monotonic()
            rows = land(base, publisher, scratch, con)
            print(f"floor {publisher}: {rows} rows in {time.monotonic() - started:.2f}s")
        con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
