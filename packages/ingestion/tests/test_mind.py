"""MIND lands exactly as written: quirks kept, provenance added, bad rows named."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MIND_TEST_BEHAVIORS, mind_zip, visible, write_zip
from ingestion import Layout
from ingestion.errors import BadInputError
from ingestion.pipeline import run_publisher


def test_behaviors_land_as_written_with_provenance(data: Path) -> None:
    mind_zip(data / "raw-download/mind", "MINDsmall_train.zip")
    report = run_publisher("mind", Layout.at(data))
    assert report.status == "loaded"
    assert report.rows_per_table == {
        "behaviors": 3,
        "news": 2,
        "entity_embedding": 2,
        "relation_embedding": 1,
    }
    rows = visible(
        data,
        "mind",
        "behaviors",
        "impression_id, time, history, impressions, _dataset, _split, _source_file, "
        "_source_member, _row_number",
    )
    assert rows[1] == (
        "2",
        "11/12/2019 12:11:30 AM",
        "",  # empty history stays an empty string
        "N20678-0 N39317-0 N58114-1",
        "MINDsmall_train",
        "train",
        "MINDsmall_train.zip",
        "behaviors.tsv",
        2,
    )


def test_news_keeps_bare_quotes_and_empty_abstracts(data: Path) -> None:
    mind_zip(data / "raw-download/mind", "MINDsmall_dev.zip")
    run_publisher("mind", Layout.at(data))
    news = dict(visible(data, "mind", "news", "news_id, title"))
    assert news["N55528"] == 'The "Brands" Queen Elizabeth'
    abstracts = dict(visible(data, "mind", "news", "news_id, abstract"))
    assert abstracts["N19639"] == ""
    splits = {r[0] for r in visible(data, "mind", "news", "_split")}
    assert splits == {"validation"}


def test_test_split_has_bare_ids_and_placeholder_is_ignored(data: Path) -> None:
    mind_zip(data / "raw-download/mind", "MINDlarge_test.zip", MIND_TEST_BEHAVIORS)
    report = run_publisher("mind", Layout.at(data))
    assert report.skipped_files == []
    assert visible(data, "mind", "behaviors", "impressions, _dataset, _split") == [
        ("N10 N11 N12", "MINDlarge_test", "test")
    ]


def test_embeddings_parse_to_100_floats(data: Path) -> None:
    mind_zip(data / "raw-download/mind", "MINDsmall_train.zip")
    run_publisher("mind", Layout.at(data))
    rows = visible(data, "mind", "entity_embedding", "wikidata_id, len(vector), vector[2]")
    assert rows == [("Q43274", 100, pytest.approx(0.001)), ("Q80976", 100, pytest.approx(0.001))]


def test_extracted_folder_is_read_by_name_at_any_depth(data: Path) -> None:
    folder = data / "raw-download/mind/downloads/MINDsmall_train"
    folder.mkdir(parents=True)
    (folder / "behaviors.tsv").write_text("7\tU1\t1/2/2019 1:02:03 PM\t\tN1-1\n")
    run_publisher("mind", Layout.at(data))
    assert visible(data, "mind", "behaviors", "impression_id, _source_file, _dataset") == [
        ("7", "downloads/MINDsmall_train/behaviors.tsv", "MINDsmall_train")
    ]


def test_wrong_field_count_names_file_member_and_line(data: Path) -> None:
    bad = "1\tU1\t11/11/2019 9:05:58 AM\t\tN1-1\n2\tU2\t11/11/2019 9:05:58 AM\tN1-0\n"
    mind_zip(data / "raw-download/mind", "MINDsmall_train.zip", bad)
    with pytest.raises(BadInputError) as caught:
        run_publisher("mind", Layout.at(data))
    assert caught.value.file == "MINDsmall_train.zip"
    assert caught.value.member == "behaviors.tsv"
    assert caught.value.line == 2
    assert "expected 5 tab-separated fields, got 4" in str(caught.value)


def test_short_embedding_line_is_an_error(data: Path) -> None:
    write_zip(
        data / "raw-download/mind/MINDsmall_train.zip",
        {"entity_embedding.vec": b"Q1\t0.1\t0.2\n"},
    )
    with pytest.raises(BadInputError, match=r"entity_embedding.vec, line 1: expected an id"):
        run_publisher("mind", Layout.at(data))


def test_zip_without_mind_files_is_reported_and_skipped(data: Path) -> None:
    write_zip(data / "raw-download/mind/notes.zip", {"readme.txt": b"hello"})
    (data / "raw-download/mind/behaviors.tsv").write_text("no release in the path\n")
    report = run_publisher("mind", Layout.at(data))
    assert report.status == "empty"
    assert sorted(report.skipped_files) == ["behaviors.tsv", "notes.zip"]
