"""Adressa: daily JSON-lines members without extension, optional keys, bad lines counted."""

from __future__ import annotations

import io
import json
import threading
from pathlib import Path

import pyarrow as pa
import pytest
from conftest import adressa_day, adressa_event, visible, write_tar
from ingestion import Layout
from ingestion.errors import BadInputError
from ingestion.pipeline import run_publisher
from ingestion.readers import adressa as reader
from ingestion.readers.provenance import Origin

ORIGIN = Origin("one_week.tar.gz", "one_week/20170101", "one_week", None)


def week(days: dict[str, bytes]) -> dict[str, bytes]:
    return {f"one_week/{day}": payload for day, payload in days.items()}


def test_events_land_typed_with_nested_profile(data: Path) -> None:
    events = [adressa_event(i, article=i % 3 == 0) for i in range(1, 10)]
    write_tar(
        data / "raw-download/adressa/one_week.tar.gz", week({"20261118": adressa_day(events)})
    )
    report = run_publisher("adressa", Layout.at(data))
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
    run_publisher("adressa", Layout.at(data))
    assert visible(data, "adressa", "events", "event_id, device_type, category1, active_time") == [
        (1, None, None, None),
        (2, "Mobile", "nyheter|trondheim", 79),
    ]


def test_bad_lines_are_skipped_and_counted(data: Path) -> None:
    events = [adressa_event(i, article=False) for i in range(1, 2001)]
    truncated = json.dumps(adressa_event(5000, article=True))[:40]
    payload = adressa_day(events, bad=[truncated]) + adressa_day([adressa_event(6000, False)])
    write_tar(data / "raw-download/adressa/one_week.tar.gz", week({"20261120": payload}))
    report = run_publisher("adressa", Layout.at(data))
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
    report = run_publisher("adressa", Layout.at(data))
    assert report.rows_per_table == {"events": 1499}
    assert sum(report.bad_lines_skipped.values()) == 1


def test_too_many_bad_lines_fail_naming_file_member_and_line(data: Path) -> None:
    events = [adressa_event(i, article=False) for i in range(1, 101)]
    payload = adressa_day(events[:50], bad=["{not json"]) + adressa_day(events[50:])
    write_tar(data / "raw-download/adressa/one_week.tar.gz", week({"20261122": payload}))
    with pytest.raises(BadInputError) as caught:
        run_publisher("adressa", Layout.at(data))
    assert caught.value.file == "one_week.tar.gz"
    assert caught.value.member == "one_week/20261122"
    assert caught.value.line == 51
    assert "1 of 101 lines" in str(caught.value)
    assert not (data / "lake/raw_adressa/events").exists()
    assert not any(t.name == "read-ahead" for t in threading.enumerate())


def test_loose_daily_files_and_other_years(data: Path) -> None:
    folder = data / "raw-download/adressa/three_month"
    folder.mkdir()
    (folder / "20170331").write_bytes(adressa_day([adressa_event(1, article=True)]))
    (folder / "README").write_text("not a day")
    report = run_publisher("adressa", Layout.at(data))
    assert report.rows_per_table == {"events": 1}
    assert report.skipped_files == ["three_month/README"]
    assert visible(data, "adressa", "events", "_dataset, _source_member") == [
        ("three_month", "three_month/20170331")
    ]


def read(payload: bytes) -> tuple[list[pa.Table], reader.BadLines]:
    bad = reader.BadLines()
    return list(reader.read_events(io.BytesIO(payload), ORIGIN, bad)), bad


def numbers(tables: list[pa.Table]) -> list[int]:
    return [n for t in tables for n in t["_row_number"].to_pylist()]


def lines(events: list[dict], bad: dict[int, str]) -> bytes:
    """JSON lines with the `bad` ones put in at the given (1-based) line numbers."""
    out = [json.dumps(e) for e in events]
    for number in sorted(bad):
        out.insert(number - 1, bad[number])
    return ("\n".join(out) + "\n").encode()


def test_blank_lines_keep_line_numbers_and_two_events_on_a_line_are_bad() -> None:
    events = [adressa_event(i, article=False) for i in range(1, 2001)]
    two = json.dumps(adressa_event(9001, False)) + " " + json.dumps(adressa_event(9002, False))
    tables, bad = read(lines(events, {2: "   ", 4: "", 5: two, 7: "\r"}))
    assert numbers(tables) == [1, 3, 6, *range(8, 2005)]
    assert (bad.count, bad.lines, bad.total) == (1, [5], 2004)


def test_bad_lines_deep_in_large_blocks_cost_only_themselves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(reader, "BLOCK_BYTES", 40_000)
    monkeypatch.setattr(reader, "READ_BYTES", 7_000)
    monkeypatch.setattr(reader, "FEW_LINES", 3)
    monkeypatch.setattr(reader, "BATCH_ROWS", 1_000)
    events = [adressa_event(i, article=i % 5 == 0) for i in range(1, 6001)]
    events[4321].pop("url")  # line 4325, after three bad lines
    broken = {7: '{"eventId": 7, "ti', 2500: "[1, 2]", 2501: "not json", 6003: "{}}"}
    tables, bad = read(lines(events, broken))
    expected = [n for n in range(1, 6005) if n not in broken and n != 4325]
    assert numbers(tables) == expected
    assert len(tables) > 1
    assert all(t.num_rows >= 1_000 for t in tables[:-1])
    assert [e for t in tables for e in t["eventId"].to_pylist()] == [
        e["eventId"] for e in events if "url" in e
    ]
    assert (bad.count, bad.lines, bad.total) == (5, [7, 2500, 2501, 4325, 6003], 6004)


def test_a_span_that_cannot_be_cut_is_read_line_by_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "FEW_LINES", 2)
    monkeypatch.setattr(reader, "MAX_BAD_FRACTION", 1.0)
    events = [adressa_event(i, article=False) for i in range(1, 5)]
    events[-1]["title"] = "x" * 100_000
    tables, bad = read(lines(events, {1: "{"}))
    assert (numbers(tables), bad.lines) == ([2, 3, 4, 5], [1])


def test_the_last_line_may_lack_its_newline() -> None:
    payload = adressa_day([adressa_event(1, False), adressa_event(2, False)]).rstrip(b"\n")
    tables, bad = read(payload)
    assert numbers(tables) == [1, 2]
    tables, bad = read(payload + b"\n  ")
    assert (numbers(tables), bad.total) == ([1, 2], 2)


def test_an_event_that_does_not_match_the_schema_fails_naming_its_line() -> None:
    events = [adressa_event(i, article=False) for i in range(1, 2001)]
    events[1233]["eventId"] = "one thousand"
    with pytest.raises(BadInputError) as caught:
        read(lines(events, {}))
    assert caught.value.line == 1234
    assert "does not match the Adressa event schema" in str(caught.value)


def test_a_truncated_archive_fails_naming_the_file(data: Path) -> None:
    events = [adressa_event(i, article=True) for i in range(1, 3000)]
    path = write_tar(
        data / "raw-download/adressa/one_week.tar.gz", week({"20261123": adressa_day(events)})
    )
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(BadInputError, match="the gzip stream is truncated") as caught:
        run_publisher("adressa", Layout.at(data))
    # ISA-L inflates a megabyte ahead: the cut is found before tar reads the member's header
    assert caught.value.file == "one_week.tar.gz"
