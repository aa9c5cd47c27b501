"""The same bytes are loaded once: files are identified by content (size and hash), a copy under
another name is reported and skipped, and two different files claiming the same release, split
and member are refused, naming both."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, adressa_day, adressa_event, mind_zip, visible, write_tar, write_zip
from ingestion import ConflictingFilesError, Layout, run_publisher, snapshot
from ingestion.cli import main
from ingestion.inventory import current_inventory

EBNERD = "raw-download/ebnerd"
MIND = "raw-download/mind"
ADRESSA = "raw-download/adressa"


def ebnerd_zip(folder: Path, name: str) -> Path:
    return write_zip(
        folder / name,
        {
            f"{split}/{table}.parquet": (FIXTURES / f"{table}.parquet").read_bytes()
            for split in ("train", "validation")
            for table in ("behaviors", "history")
        },
    )


def one_week(folder: Path, name: str = "one_week.tar.gz", events: int = 3) -> Path:
    days = {
        "one_week/20170101": adressa_day(
            [adressa_event(i, article=i % 2 == 0) for i in range(events)]
        )
    }
    return write_tar(folder / name, days)


def counts(data: Path, publisher: str, tables: tuple[str, ...]) -> dict[str, int]:
    return {t: visible(data, publisher, t, "count(*)")[0][0] for t in tables}


def copy(path: Path, name: str) -> Path:
    target = path.with_name(name)
    shutil.copyfile(path, target)  # new mtime, same bytes: a second download of the same file
    return target


def test_a_second_download_of_ebnerd_is_skipped_and_reported(data: Path) -> None:
    first = ebnerd_zip(data / EBNERD, "ebnerd_small.zip")
    run_publisher("ebnerd", Layout.at(data))
    alone = counts(data, "ebnerd", ("behaviors", "history"))
    copy(first, "ebnerd_small (1).zip")
    report = run_publisher("ebnerd", Layout.at(data))
    assert report.duplicates == {"ebnerd_small (1).zip": "ebnerd_small.zip"}
    assert "ebnerd_small (1).zip (the same bytes as ebnerd_small.zip)" in report.skipped_files
    assert report.files_read == []
    assert counts(data, "ebnerd", ("behaviors", "history")) == alone
    assert run_publisher("ebnerd", Layout.at(data)).status == "up_to_date"


def test_two_copies_of_one_week_arriving_together_load_once(data: Path) -> None:
    original = one_week(data / ADRESSA)
    os.utime(original, ns=(1, original.stat().st_mtime_ns - 10**9))  # downloaded first
    copy(original, "one_week (1).tar.gz")
    report = run_publisher("adressa", Layout.at(data))
    assert report.files_read == ["one_week.tar.gz"]
    assert report.duplicates == {"one_week (1).tar.gz": "one_week.tar.gz"}
    assert counts(data, "adressa", ("events",)) == {"events": 3}


def test_a_copy_of_mind_in_another_folder_is_skipped(data: Path) -> None:
    original = mind_zip(data / MIND, "MINDsmall_train.zip")
    run_publisher("mind", Layout.at(data))
    (data / MIND / "again").mkdir()
    shutil.copyfile(original, data / MIND / "again/MINDsmall_train.zip")
    report = run_publisher("mind", Layout.at(data))
    assert report.duplicates == {"again/MINDsmall_train.zip": "MINDsmall_train.zip"}
    assert counts(data, "mind", ("behaviors",)) == {"behaviors": 3}


def test_when_the_loaded_copy_goes_the_other_takes_over(data: Path) -> None:
    original = mind_zip(data / MIND, "MINDsmall_train.zip")
    run_publisher("mind", Layout.at(data))
    (data / MIND / "again").mkdir()
    shutil.copyfile(original, data / MIND / "again/MINDsmall_train.zip")
    run_publisher("mind", Layout.at(data))
    original.unlink()
    report = run_publisher("mind", Layout.at(data))
    assert report.files_read == ["again/MINDsmall_train.zip"]
    assert report.files_removed == ["MINDsmall_train.zip"]
    assert visible(data, "mind", "behaviors", "_source_file, count(*)", grouped=True) == [
        ("again/MINDsmall_train.zip", 3)
    ]


def test_different_files_claiming_the_same_release_are_refused_naming_both(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mind_zip(data / MIND / "a", "MINDsmall_train.zip")
    run_publisher("mind", Layout.at(data))
    before = counts(data, "mind", ("behaviors",))
    mind_zip(data / MIND / "b", "MINDsmall_train.zip", "7\tU7\t11/11/2019 9:05:58 AM\t\tN1-1\n")
    with pytest.raises(ConflictingFilesError) as refused:
        run_publisher("mind", Layout.at(data))
    assert refused.value.file == "a/MINDsmall_train.zip"
    assert refused.value.other == "b/MINDsmall_train.zip"
    assert counts(data, "mind", ("behaviors",)) == before
    assert main(["--data-dir", str(data), "mind"]) == 1
    err = capsys.readouterr().err
    assert "a/MINDsmall_train.zip" in err and "b/MINDsmall_train.zip" in err
    assert "release MINDsmall_train, split train" in err


def test_an_extracted_day_next_to_its_archive_is_refused(data: Path) -> None:
    one_week(data / ADRESSA)
    (data / ADRESSA / "one_week").mkdir()
    (data / ADRESSA / "one_week/20170101").write_bytes(adressa_day([adressa_event(9, True)]))
    with pytest.raises(ConflictingFilesError) as refused:
        run_publisher("adressa", Layout.at(data))
    assert {refused.value.file, refused.value.other} == {"one_week.tar.gz", "one_week/20170101"}
    assert "release one_week" in str(refused.value)
    assert not (data / "lake/raw_adressa/events").exists()


def test_days_of_one_release_loose_in_a_folder_do_not_conflict(data: Path) -> None:
    for day in ("20170101", "20170102"):
        (data / ADRESSA / day).write_bytes(adressa_day([adressa_event(int(day[-1]), True)]))
    assert run_publisher("adressa", Layout.at(data)).files_read == ["20170101", "20170102"]


def test_a_file_is_hashed_once_per_size_and_mtime(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ingestion.plan

    hashed: list[str] = []
    real = ingestion.plan.content_of

    def counting(path: Path) -> str:
        hashed.append(path.name)
        return real(path)

    monkeypatch.setattr(ingestion.plan, "content_of", counting)
    path = mind_zip(data / MIND, "MINDsmall_train.zip")
    run_publisher("mind", Layout.at(data))
    assert hashed == ["MINDsmall_train.zip"]
    assert run_publisher("mind", Layout.at(data)).status == "up_to_date"
    assert hashed == ["MINDsmall_train.zip"]
    # touched: hashed again, found to be the same bytes, not read again
    os.utime(path, ns=(1, path.stat().st_mtime_ns + 10**9))
    report = run_publisher("mind", Layout.at(data))
    assert hashed == ["MINDsmall_train.zip"] * 2
    assert report.files_read == []
    assert report.files_unchanged == ["MINDsmall_train.zip"]
    entry = current_inventory(Layout.at(data), "mind")["MINDsmall_train.zip"]
    assert entry.fingerprint == f"{path.stat().st_size}:{path.stat().st_mtime_ns}"
    assert entry.content is not None and entry.content.startswith(
        f"xxh3_128:{path.stat().st_size}:"
    )
    assert run_publisher("mind", Layout.at(data)).status == "up_to_date"
    assert len(hashed) == 2


def test_the_sensor_snapshot_never_hashes(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ingestion.identity

    def refuse(path: Path) -> str:
        raise AssertionError(f"hashed {path}")

    monkeypatch.setattr(ingestion.identity, "content_of", refuse)
    mind_zip(data / MIND, "MINDsmall_train.zip")
    one_week(data / ADRESSA)
    assert [f.rel for f in snapshot(Layout.at(data), "mind").files] == ["MINDsmall_train.zip"]
    assert [f.rel for f in snapshot(Layout.at(data), "adressa").files] == ["one_week.tar.gz"]
