"""Bad MIND rows are refused at the door with file, member and line, before anything of the file
is landed: header rows, empty lines, unparsable times, bad impression tokens, non-UTF-8 bytes,
lines too long to be MIND's. What is valid (an empty history, the test release's bare ids)
still loads."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import MIND_BEHAVIORS, MIND_NEWS, mind_zip, visible, write_zip
from ingestion import Layout
from ingestion.errors import BadInputError
from ingestion.landing import Origin
from ingestion.pipeline import run_publisher
from ingestion.readers import mind

TRAIN = Origin("MINDsmall_train.zip", "behaviors.tsv", "MINDsmall_train", "train")
TEST = Origin("MINDlarge_test.zip", "behaviors.tsv", "MINDlarge_test", "test")
NEWS = Origin("MINDsmall_train.zip", "news.tsv", "MINDsmall_train", "train")
GOOD = "1\tU1\t11/11/2019 9:05:58 AM\tN1 N2\tN3-1 N4-0\n"


def behaviors(text: str | bytes, origin: Origin = TRAIN) -> int:
    """Rows the reader passes for a behaviors.tsv of this text."""
    data = text.encode() if isinstance(text, str) else text
    tables = mind.read_tsv(io.BytesIO(data), mind.BEHAVIORS_COLUMNS, origin)
    return sum(t.num_rows for t in tables)


def refused(text: str | bytes, origin: Origin = TRAIN) -> BadInputError:
    with pytest.raises(BadInputError) as caught:
        behaviors(text, origin)
    return caught.value


def test_a_header_row_is_refused_at_line_1(data: Path) -> None:
    header = "impression_id\tuser_id\ttime\thistory\timpressions\n"
    mind_zip(data / "raw-download/mind", "MINDsmall_train.zip", header + MIND_BEHAVIORS)
    with pytest.raises(BadInputError) as caught:
        run_publisher("mind", Layout.at(data))
    assert str(caught.value) == (
        "MINDsmall_train.zip, member behaviors.tsv, line 1: a header row: MIND files have none; "
        "remove the line"
    )
    assert visible(data, "mind", "behaviors") == []


def test_a_header_row_in_news_is_refused() -> None:
    header = (
        "news_id\tcategory\tsubcategory\ttitle\tabstract\turl\ttitle_entities\tabstract_entities"
    )
    with pytest.raises(BadInputError, match="line 1: a header row") as caught:
        list(mind.read_tsv(io.BytesIO(f"{header}\n{MIND_NEWS}".encode()), mind.NEWS_COLUMNS, NEWS))
    assert caught.value.member == "news.tsv"


def test_a_news_id_of_the_wrong_form_is_refused() -> None:
    line = MIND_NEWS.splitlines()[0].replace("N55528", "55528")
    with pytest.raises(BadInputError, match=r"line 3: news_id '55528' is not N followed by digits"):
        list(mind.read_tsv(io.BytesIO(f"{MIND_NEWS}{line}\n".encode()), mind.NEWS_COLUMNS, NEWS))


def test_an_empty_line_is_refused() -> None:
    error = refused(GOOD + "\n" + GOOD)
    assert (error.line, error.reason) == (2, "an empty line: MIND files have none; remove it")


def test_an_impression_id_that_is_not_a_number_is_refused() -> None:
    error = refused(GOOD + GOOD.replace("1\t", "x1\t", 1))
    assert (error.line, error.reason) == (2, "impression_id 'x1' is not a number")


def test_an_unparsable_time_is_refused_at_its_line(data: Path) -> None:
    bad = MIND_BEHAVIORS + "4\tU1\t13/45/2019 25:61:00 XM\t\tN1-1\n"
    mind_zip(data / "raw-download/mind", "MINDsmall_train.zip", bad)
    with pytest.raises(BadInputError) as caught:
        run_publisher("mind", Layout.at(data))
    assert (caught.value.file, caught.value.member, caught.value.line) == (
        "MINDsmall_train.zip",
        "behaviors.tsv",
        4,
    )
    assert "time '13/45/2019 25:61:00 XM' is not a date and time as MIND writes them" in str(
        caught.value
    )


@pytest.mark.parametrize(
    "time",
    [
        "2/29/2019 1:00:00 AM",  # not a leap year (strptime alone would make it 1 March)
        "4/31/2019 1:00:00 AM",  # April has 30 days
        "11/11/2019 0:05:58 AM",  # a 12-hour clock has no hour 0
        "11/11/2019 9:05:58AM",  # strptime takes it, DuckDB's does not
        "11/11/2019 9:05:58 AM ",
        "11/11/19 9:05:58 AM",
        "2019-11-11 09:05:58",
    ],
)
def test_times_dbt_could_not_parse_are_refused(time: str) -> None:
    error = refused(GOOD + f"2\tU1\t{time}\t\tN1-1\n")
    assert error.line == 2
    assert error.reason.startswith(f"time {time!r} is not")


@pytest.mark.parametrize(
    "time",
    [
        "2/29/2020 1:00:00 AM",
        "12/31/2019 12:00:00 PM",
        "1/1/2019 12:59:59 AM",
        "09/05/2019 01:02:03 PM",
    ],
)
def test_valid_times_pass(time: str) -> None:
    assert behaviors(GOOD + f"2\tU1\t{time}\t\tN1-1\n") == 2


@pytest.mark.parametrize(
    ("impressions", "token"),
    [
        ("N1-1 N2-2", "N2-2"),
        ("N1-1 N2", "N2"),  # a bare id outside the unlabeled test release
        ("N1-1  N2-0", ""),  # two spaces: an empty token
        ("N1-1 n2-0", "n2-0"),
        ("N1-1 N2-0 ", ""),
        ("", ""),
    ],
)
def test_a_bad_impression_token_is_refused_and_shown(impressions: str, token: str) -> None:
    error = refused(GOOD + f"2\tU1\t11/11/2019 9:05:58 AM\tN1\t{impressions}\n")
    assert error.line == 2
    assert error.reason.startswith(f"impression token {token!r} is not N<id>-1 or N<id>-0")


def test_the_test_release_takes_bare_ids_and_nothing_else() -> None:
    assert behaviors("1\tU1\t11/16/2019 1:01:01 PM\tN1\tN10 N11-1 N12\n", TEST) == 1
    error = refused("1\tU1\t11/16/2019 1:01:01 PM\tN1\tN10 X11\n", TEST)
    assert error.reason.startswith("impression token 'X11' is not N<id>-1, N<id>-0 or a bare N<id>")


def test_an_empty_history_stays_valid() -> None:
    assert behaviors(GOOD + "2\tU9\t11/12/2019 12:11:30 AM\t\tN20678-0 N58114-1\n") == 2


def test_non_utf8_bytes_in_news_are_named_with_their_line(data: Path) -> None:
    news = MIND_NEWS.encode() + "N7\tnews\tx\tCaf\xe9 au lait\t\thttps://a\t[]\t[]\n".encode(
        "latin-1"
    )
    write_zip(data / "raw-download/mind/MINDsmall_train.zip", {"news.tsv": news})
    with pytest.raises(BadInputError) as caught:
        run_publisher("mind", Layout.at(data))
    assert str(caught.value) == (
        "MINDsmall_train.zip, member news.tsv, line 3: title holds bytes that are not UTF-8 "
        "(b'Caf\\xe9 au lait'): MIND files are UTF-8"
    )


def test_non_utf8_bytes_in_an_embedding_file_are_named() -> None:
    line = "\t".join(["Q1\xff", *("0.5" for _ in range(100))]) + "\n"
    origin = Origin("MINDsmall_train.zip", "entity_embedding.vec", "MINDsmall_train", "train")
    with pytest.raises(BadInputError, match="line 1: line holds bytes that are not UTF-8"):
        list(mind.read_embeddings(io.BytesIO(line.encode("latin-1")), origin))


def test_the_first_bad_line_is_named_whatever_is_wrong_with_it() -> None:
    wrong_fields = "9\tU1\n"
    bad_time = "8\tU1\t13/45/2019 1:00:00 AM\t\tN1-1\n"
    assert refused(GOOD + bad_time + wrong_fields).reason.startswith("time ")
    assert refused(GOOD + wrong_fields + bad_time).reason.startswith("expected 5 tab-separated")
    assert refused(GOOD + wrong_fields + bad_time).line == 2


def test_a_bad_line_stops_the_read_there(monkeypatch: pytest.MonkeyPatch) -> None:
    # the rest of a 1.3 GB file is not read to report a bad line near its start
    monkeypatch.setattr(mind, "BLOCK_BYTES", 1 << 12)
    payload = (GOOD + "2\tU1\n" + GOOD * 200_000).encode()
    stream = io.BytesIO(payload)
    with pytest.raises(BadInputError, match="line 2: expected 5 tab-separated fields, got 2"):
        list(mind.read_tsv(stream, mind.BEHAVIORS_COLUMNS, TRAIN))
    assert stream.tell() < len(payload) // 10


def test_a_line_too_long_to_be_mind_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # an inflated member of zeros or one huge line: pyarrow's own error names no line
    monkeypatch.setattr(mind, "BLOCK_BYTES", 1 << 16)
    error = refused(GOOD * 10 + "x" * (1 << 17))
    assert (error.line, error.reason) == (
        11,
        "no line break within 0.0625 MiB: a line this long is not MIND's",
    )


def test_a_bad_line_deep_in_a_file_lands_nothing_of_it(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mind, "BLOCK_BYTES", 1 << 12)
    monkeypatch.setattr(mind, "BATCH_ROWS", 100)
    mind_zip(data / "raw-download/mind", "MINDsmall_dev.zip")
    run_publisher("mind", Layout.at(data))
    before = visible(data, "mind", "behaviors")
    lines = [GOOD.replace("1\t", f"{n}\t", 1) for n in range(1, 3001)]
    lines[2500] = lines[2500].replace("N3-1", "N3-7")
    mind_zip(data / "raw-download/mind", "MINDsmall_train.zip", "".join(lines))
    with pytest.raises(BadInputError, match="line 2501: impression token 'N3-7'"):
        run_publisher("mind", Layout.at(data))
    assert visible(data, "mind", "behaviors") == before  # 25 batches read, none of them landed
