"""Adressa's documented policy: a line that is not JSON, or an event without eventId, time,
userId or url, is skipped and counted, and the count and the first line numbers reach the
report; more than 0.1% of a daily file fails the load naming file, member and first bad line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import adressa_day, adressa_event, visible, write_tar
from ingestion import Layout
from ingestion.errors import BadInputError
from ingestion.landing import Origin
from ingestion.pipeline import run_publisher
from ingestion.readers import adressa as reader

ORIGIN = Origin("one_week.tar.gz", "one_week/20170101", "one_week", None)


def day_with(bad: dict[int, str], events: int = 3000) -> bytes:
    lines = [json.dumps(adressa_event(i, article=i % 4 == 0)) for i in range(1, events + 1)]
    for number in sorted(bad):
        lines.insert(number - 1, bad[number])
    return ("\n".join(lines) + "\n").encode()


def test_skipped_lines_reach_the_report_with_their_numbers(data: Path) -> None:
    no_user = json.dumps({"eventId": 1, "time": 1483225202, "url": "http://adressa.no"})
    payload = day_with(
        {17: '{"eventId": 5, "ti', 2000: no_user, 2999: b"\xff\xfe".decode("latin-1")}
    )
    write_tar(data / "raw-download/adressa/one_week.tar.gz", {"one_week/20170101": payload})
    report = run_publisher("adressa", Layout.at(data))
    where = "one_week.tar.gz :: one_week/20170101"
    assert report.bad_lines_skipped == {where: 3}
    assert report.bad_line_numbers == {where: [17, 2000, 2999]}
    assert report.to_dict()["bad_line_numbers"] == {where: [17, 2000, 2999]}
    assert report.rows_per_table == {"events": 3000}


def test_over_the_limit_fails_naming_file_member_and_first_bad_line(data: Path) -> None:
    payload = day_with({40: "not json", 41: "[]", 900: "{"}, events=1000)  # 3 of 1,003: 0.3%
    write_tar(data / "raw-download/adressa/one_week.tar.gz", {"one_week/20170102": payload})
    with pytest.raises(BadInputError) as caught:
        run_publisher("adressa", Layout.at(data))
    assert str(caught.value) == (
        "one_week.tar.gz, member one_week/20170102, line 40: 3 of 1003 lines are not valid "
        "events (more than 0.1%); first bad lines: [40, 41, 900]"
    )
    assert visible(data, "adressa", "events") == []


def test_at_the_limit_still_loads() -> None:
    bad = reader.BadLines()
    tables = list(reader.read_events(io.BytesIO(day_with({5: "x"}, events=999)), ORIGIN, bad))
    assert (bad.count, bad.total, sum(t.num_rows for t in tables)) == (1, 1000, 999)


def test_a_line_too_long_to_be_an_event_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_LINE_BYTES", 1 << 20)
    monkeypatch.setattr(reader, "READ_BYTES", 1 << 16)
    payload = adressa_day([adressa_event(1, False), adressa_event(2, False)]) + bytes(3 << 20)
    with pytest.raises(BadInputError) as caught:
        list(reader.read_events(io.BytesIO(payload), ORIGIN, reader.BadLines()))
    assert (caught.value.line, caught.value.reason) == (
        3,
        "no line break within 1 MiB: a line this long is not an event",
    )
