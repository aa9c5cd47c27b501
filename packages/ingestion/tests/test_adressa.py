"""Adressa: daily JSON-lines members without extension, optional keys, bad lines counted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import adressa_day, adressa_event, visible, write_tar
from ingestion.errors import BadInputError
from ingestion.pipeline import run_publisher


def week(days: dict[str, bytes]) -> dict[str, bytes]:
    return {f"one_week/{day}": payload for day, payload in days.items()}


def test_events_land_typed_with_nested_profile(data: Path) -> None:
    events = [adressa_event(i, article=i % 3 == 0) for i in range(1, 10)]
    write_tar(
        data / "raw-download/adressa/one_week.tar.gz", week({"20261118": adressa_day(events)})
    )
    report = run_publisher("adressa", data)
    assert report.rows_per_table == {"events": 9}
    rows = visible(
        data,
        "adressa",
        "events",
        'event_id, id is not null, profile[1].groups[1]."group", author[1], _dataset, '
        "_source_member, _row_number",
    )
    assert rows[2] == (3, True, "taxonomy", "norunn bergesen", "one_week", "one_week/20261118", 3)
    assert rows[0][1:4] == (False, None, None)


def test_optional_keys_may_be_missing(data: Path) -> None:
    bare = {"eventId": 1, "time": 1483225202, "userId": "cx:1", "url": "http://adressa.no"}
    full = adressa_event(2, article=True, category1="nyheter|trondheim", activeTime=79)
    write_tar(
        data / "raw-download/adressa/one_week.tar.gz",
        week({"20261119": adressa_day([bare, full])}),
    )
    run_publisher("adressa", data)
    assert visible(data, "adressa", "events", "event_id, device_type, category1, active_time") == [
        (1, None, None, None),
        (2, "Mobile", "nyheter|trondheim", 79),
    ]


def test_bad_lines_are_skipped_and_counted(data: Path) -> None:
    events = [adressa_event(i, article=False) for i in range(1, 2001)]
    truncated = json.dumps(adressa_event(5000, article=True))[:40]
    payload = adressa_day(events, bad=[truncated]) + adressa_day([adressa_event(6000, False)])
    write_tar(data / "raw-download/adressa/one_week.tar.gz", week({"20261120": payload}))
    report = run_publisher("adressa", data)
    assert report.rows_per_table == {"events": 2001}
    assert report.bad_lines_skipped == {"one_week.tar.gz :: one_week/20261120": 1}
    last = visible(data, "adressa", "events", "max(_row_number)")
    assert last == [(2002,)]  # line numbers count the skipped line


def test_events_missing_a_required_key_count_as_bad(data: Path) -> None:
    events = [adressa_event(i, article=False) for i in range(1, 1500)]
    events.append({"eventId": 9, "time": 1483225202, "url": "http://adressa.no"})
    write_tar(
        data / "raw-download/adressa/one_week.tar.gz", week({"20261121": adressa_day(events)})
    )
    report = run_publisher("adressa", data)
    assert report.rows_per_table == {"events": 1499}
    assert sum(report.bad_lines_skipped.values()) == 1


def test_too_many_bad_lines_fail_naming_file_member_and_line(data: Path) -> None:
    events = [adressa_event(i, article=False) for i in range(1, 101)]
    payload = adressa_day(events[:50], bad=["{not json"]) + adressa_day(events[50:])
    write_tar(data / "raw-download/adressa/one_week.tar.gz", week({"20261122": payload}))
    with pytest.raises(BadInputError) as caught:
        run_publisher("adressa", data)
    assert caught.value.file == "one_week.tar.gz"
    assert caught.value.member == "one_week/20261122"
    assert caught.value.line == 51
    assert "1 of 101 lines" in str(caught.value)
    assert not (data / "lake/raw_adressa/events").exists()


def test_loose_daily_files_and_other_years(data: Path) -> None:
    folder = data / "raw-download/adressa/three_month"
    folder.mkdir()
    (folder / "20170331").write_bytes(adressa_day([adressa_event(1, article=True)]))
    (folder / "README").write_text("not a day")
    report = run_publisher("adressa", data)
    assert report.rows_per_table == {"events": 1}
    assert report.skipped_files == ["three_month/README"]
    assert visible(data, "adressa", "events", "_dataset, _source_member") == [
        ("three_month", "three_month/20170331")
    ]
