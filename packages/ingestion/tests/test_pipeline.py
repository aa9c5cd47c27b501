"""Runs are idempotent and incremental; unfinished loads stay invisible; failures stay local."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import MIND_TEST_BEHAVIORS, adressa_day, adressa_event, mind_zip, visible, write_tar
from ingestion import Layout
from ingestion.cli import main
from ingestion.errors import BadInputError
from ingestion.inventory import current_inventory, finished_loads
from ingestion.pipeline import run_publisher

MIND = "raw-download/mind"


def behaviors(data: Path) -> list[tuple]:
    return visible(data, "mind", "behaviors", "_source_file, impression_id")


def test_second_run_on_same_inputs_changes_nothing(data: Path) -> None:
    mind_zip(data / MIND, "MINDsmall_train.zip")
    first = run_publisher("mind", Layout.at(data))
    before = behaviors(data)
    second = run_publisher("mind", Layout.at(data))
    assert second.status == "up_to_date"
    assert second.load_id is None
    assert behaviors(data) == before
    assert len(finished_loads(Layout.at(data), "mind")) == 1
    assert first.load_id == finished_loads(Layout.at(data), "mind")[0]


def test_added_file_is_loaded_alone(data: Path) -> None:
    mind_zip(data / MIND, "MINDsmall_train.zip")
    run_publisher("mind", Layout.at(data))
    mind_zip(data / MIND, "MINDsmall_dev.zip")
    report = run_publisher("mind", Layout.at(data))
    assert report.files_read == ["MINDsmall_dev.zip"]
    assert report.files_unchanged == ["MINDsmall_train.zip"]
    assert report.rows_per_table["behaviors"] == 3
    assert len(behaviors(data)) == 6


def test_replaced_file_supersedes_its_old_rows(data: Path) -> None:
    path = mind_zip(data / MIND, "MINDsmall_train.zip")
    run_publisher("mind", Layout.at(data))
    mind_zip(data / MIND, "MINDsmall_train.zip", "9\tU9\t1/1/2019 1:00:00 AM\t\tN1-1\n")
    os.utime(path, ns=(1, path.stat().st_mtime_ns + 10**9))
    run_publisher("mind", Layout.at(data))
    assert behaviors(data) == [("MINDsmall_train.zip", "9")]
    # the superseded file stays one load longer, for a reader that started before this load
    files = data / "lake/raw_mind/behaviors"
    assert len(list(files.glob("*.parquet"))) == 2
    mind_zip(data / MIND, "MINDsmall_dev.zip")
    run_publisher("mind", Layout.at(data))
    assert len(list(files.glob("*.parquet"))) == 2  # train's current rows and dev's


def test_removed_file_drops_out(data: Path) -> None:
    mind_zip(data / MIND, "MINDsmall_train.zip")
    test = mind_zip(data / MIND, "MINDlarge_test.zip", MIND_TEST_BEHAVIORS)
    run_publisher("mind", Layout.at(data))
    test.unlink()
    report = run_publisher("mind", Layout.at(data))
    assert report.files_removed == ["MINDlarge_test.zip"]
    assert {r[0] for r in behaviors(data)} == {"MINDsmall_train.zip"}


def test_emptied_folder_hides_everything(data: Path) -> None:
    path = mind_zip(data / MIND, "MINDsmall_train.zip")
    run_publisher("mind", Layout.at(data))
    path.unlink()
    report = run_publisher("mind", Layout.at(data))
    assert report.status == "loaded"
    assert report.files_removed == ["MINDsmall_train.zip"]
    assert behaviors(data) == []
    assert current_inventory(Layout.at(data), "mind") == {}


def test_empty_folder_loads_nothing_and_says_so(data: Path) -> None:
    report = run_publisher("adressa", Layout.at(data))
    assert report.status == "empty"
    assert "no adressa files" in report.message
    assert not (data / "lake/raw_adressa").exists()


def test_unfinished_load_is_invisible_and_repaired(data: Path) -> None:
    mind_zip(data / MIND, "MINDsmall_train.zip")
    run_publisher("mind", Layout.at(data))
    table = data / "lake/raw_mind/behaviors"
    rows = pq.read_table(next(table.glob("*.parquet")))
    unfinished = pa.array(["9999999999.123456"] * rows.num_rows)
    orphan = table / "9999999999.123456.deadbeef00.parquet"
    # What a run killed before its load finished leaves behind: rows with its own load id.
    pq.write_table(rows.set_column(rows.num_columns - 1, "_dlt_load_id", unfinished), orphan)
    assert len(behaviors(data)) == 3
    run_publisher("mind", Layout.at(data))
    assert not orphan.exists()
    assert len(behaviors(data)) == 3


def test_failed_run_leaves_previous_data_intact(data: Path) -> None:
    path = mind_zip(data / MIND, "MINDsmall_train.zip")
    run_publisher("mind", Layout.at(data))
    before = behaviors(data)
    mind_zip(data / MIND, "MINDsmall_train.zip", "1\tonly two fields\n")
    os.utime(path, ns=(1, path.stat().st_mtime_ns + 10**9))
    with pytest.raises(BadInputError):
        run_publisher("mind", Layout.at(data))
    assert behaviors(data) == before
    fixed = mind_zip(data / MIND, "MINDsmall_train.zip")
    os.utime(fixed, ns=(1, fixed.stat().st_mtime_ns + 2 * 10**9))
    assert run_publisher("mind", Layout.at(data)).status == "loaded"
    assert len(behaviors(data)) == 3


def test_download_in_progress_waits(data: Path) -> None:
    (data / MIND / "MINDsmall_dev.zip.part").write_bytes(b"PK")
    report = run_publisher("mind", Layout.at(data))
    assert report.status == "empty"
    assert report.skipped_files == ["MINDsmall_dev.zip.part (still downloading)"]


def test_one_bad_publisher_does_not_break_the_others(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mind_zip(data / MIND, "MINDsmall_train.zip", "broken\n")
    events = [adressa_event(1, article=True)]
    write_tar(
        data / "raw-download/adressa/one_week.tar.gz", {"one_week/20261118": adressa_day(events)}
    )
    assert main(["--data-dir", str(data)]) == 1
    out = capsys.readouterr()
    assert "mind: FAILED: MINDsmall_train.zip, member behaviors.tsv, line 1" in out.err
    assert "adressa: loaded" in out.out
    assert visible(data, "adressa", "events", "count(*)") == [(1,)]
    assert not (data / "lake/raw_mind/behaviors").exists()


def test_cli_rejects_unknown_publishers(data: Path) -> None:
    with pytest.raises(SystemExit):
        main(["--data-dir", str(data), "guardian"])
