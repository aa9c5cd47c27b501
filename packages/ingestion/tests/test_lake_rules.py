"""The lake's rule is written once (ingestion/lake/rules.sql) and read the same by every engine;
a killed run's leftovers are removed by the next run; lake writes cannot bypass the atomic
rename."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import mind_zip, visible
from ingestion import Layout, install_lake_rules, run_publisher
from ingestion.lake.atomic import AtomicLocalFileSystem, write_atomically
from ingestion.lake.clean import clean

REPOSITORY = Path(__file__).resolve().parents[3]
RULES = REPOSITORY / "packages/ingestion/src/ingestion/lake/rules.sql"
# what only an implementation of the rule contains: the join on the inventory, reading the load
# records, comparing load ids as numbers
RULE_SIGNATURES = re.compile(r"semi\s+join|_dlt_loads/\*\.jsonl|decimal\(30, 10\)", re.IGNORECASE)
MIND = "raw-download/mind"
KILLED_LOAD = "9999999999.1234"  # a load that wrote its data files and was killed


def test_the_visibility_rule_is_written_once() -> None:
    spelled = [
        str(path.relative_to(REPOSITORY))
        for folder in ("packages", "bench", "tests")
        for path in (REPOSITORY / folder).rglob("*")
        if path.suffix in {".py", ".sql", ".yml", ".yaml"}
        and path != RULES
        and ".venv" not in path.parts
        and "target" not in path.parts
        and RULE_SIGNATURES.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert spelled == []
    assert RULE_SIGNATURES.search(RULES.read_text(encoding="utf-8"))


@pytest.fixture
def history(data: Path) -> Path:
    """A MIND lake with superseded rows (train replaced) and a killed load's data file."""
    path = mind_zip(data / MIND, "MINDsmall_train.zip")
    run_publisher("mind", Layout.at(data))
    mind_zip(data / MIND, "MINDsmall_train.zip", "8\tU8\t11/11/2019 9:05:58 AM\t\tN1-1\n")
    mind_zip(data / MIND, "MINDsmall_dev.zip")
    assert path.exists()
    run_publisher("mind", Layout.at(data))
    behaviors = data / "lake/raw_mind/behaviors"
    rows = pq.read_table(max(behaviors.glob("*.parquet")))
    killed = pa.array([KILLED_LOAD] * rows.num_rows, pa.string()).dictionary_encode()
    rows = rows.set_column(rows.schema.get_field_index("_dlt_load_id"), "_dlt_load_id", killed)
    pq.write_table(rows, behaviors / f"{KILLED_LOAD}.deadbeef.0.parquet")
    return data


def test_polars_reads_what_duckdb_reads(history: Path) -> None:
    """The recipe of docs/lake.md: the inventory from the macros, the rows from Parquet."""
    layout = Layout.at(history)
    con = install_lake_rules(duckdb.connect(), layout)
    current = con.sql(
        "select source_file as _source_file, rows_load_id as _dlt_load_id "
        "from lake_current_inventory(?)",
        params=["raw_mind"],
    ).pl()
    rows = (
        pl.scan_parquet(layout.lake / "raw_mind/behaviors/*.parquet", missing_columns="insert")
        .with_columns(pl.col("_dlt_load_id").cast(pl.String))
        .join(current.lazy(), on=["_source_file", "_dlt_load_id"], how="semi")
        .select("_source_file", "impression_id")
        .sort("_source_file", "impression_id")
        .collect()
    )
    duckdb_rows = visible(history, "mind", "behaviors", "_source_file, impression_id")
    assert rows.rows() == duckdb_rows
    assert duckdb_rows == [("MINDsmall_dev.zip", str(i)) for i in (1, 2, 3)] + [
        ("MINDsmall_train.zip", "8")
    ]
    every_file = pl.scan_parquet(layout.lake / "raw_mind/behaviors/*.parquet")
    assert every_file.select(pl.len()).collect().item() > len(duckdb_rows)  # the rule matters


def test_clean_removes_what_a_killed_run_left(history: Path) -> None:
    root = history / "lake/raw_mind"
    before = visible(history, "mind", "behaviors")
    planted = [
        root / "news/.1800000000.5.abc.parquet.0123456789ab.tmp",
        root / "_dlt_loads/.mind__1800000000.5.jsonl.0123456789ab.tmp",
        root / f"_dlt_pipeline_state/newsrec_mind__{KILLED_LOAD}__0a1b2c.jsonl",
        root / f"source_files/{KILLED_LOAD}.feed.0.parquet",
    ]
    for path in planted:
        path.write_bytes(b"torn")
    kept_states = sorted((root / "_dlt_pipeline_state").glob("*.jsonl"))
    removed = clean(Layout.at(history), "mind")
    assert sorted(removed) == sorted(
        str(p) for p in [*planted, root / f"behaviors/{KILLED_LOAD}.deadbeef.0.parquet"]
    )
    assert visible(history, "mind", "behaviors") == before
    assert sorted((root / "_dlt_pipeline_state").glob("*.jsonl")) == [
        p for p in kept_states if p not in planted
    ]
    assert clean(Layout.at(history), "mind") == []


def test_a_dataset_folder_without_init_is_removed(data: Path) -> None:
    """What a first load killed between creating the folder and writing `init` leaves: dlt
    would refuse to create the folder again."""
    (data / "lake/raw_mind/behaviors").mkdir(parents=True)
    assert clean(Layout.at(data), "mind") == [str(data / "lake/raw_mind")]
    mind_zip(data / MIND, "MINDsmall_train.zip")
    assert run_publisher("mind", Layout.at(data)).status == "loaded"


def test_lake_writes_are_renamed_into_place_whole(tmp_path: Path) -> None:
    fs = AtomicLocalFileSystem()
    fs.write_text(str(tmp_path / "a/init"), "v1")
    assert (tmp_path / "a/init").read_text() == "v1"
    with pytest.raises(NotImplementedError, match="atomic"):
        fs.open(str(tmp_path / "a/other"), "wb")

    def fails_halfway(tmp: str) -> None:
        Path(tmp).write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        write_atomically(str(tmp_path / "a/init"), fails_halfway)
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["init"]
    assert (tmp_path / "a/init").read_text() == "v1"
