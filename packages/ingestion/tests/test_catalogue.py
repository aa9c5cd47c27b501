"""The release catalogue: complete, consistent with what the loader reads, and the README's table
generated from it."""

from __future__ import annotations

import dataclasses
import re
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path

import pytest
from ingestion.catalogue import (
    CatalogueError,
    Release,
    UnknownReleaseError,
    parse_catalogue,
    release,
    release_for_file,
    releases,
)
from ingestion.download.listing import README_BEGIN, README_END, markdown_table
from ingestion.landing import Member, SourceFile
from ingestion.publishers import publisher

README = Path(__file__).resolve().parents[3] / "README.md"
NAMES = [
    "mind-small-train",
    "mind-small-dev",
    "mind-large-train",
    "mind-large-dev",
    "mind-large-test",
    "ebnerd-demo",
    "ebnerd-small",
    "ebnerd-large",
    "ebnerd-testset",
    "adressa-one-week",
    "adressa-three-month",
]


def loader_dataset(item: Release, dataset: str) -> str | None:
    """The `dataset` value of stg_unified_impressions that today's loader gives the impressions
    of `dataset` (a key of the catalogue's `impressions`) inside the release's file, found by
    classifying a probe member named the way the publisher names it."""
    split = dataset.partition("/")[2]
    member = {
        "mind": "behaviors.tsv",
        "ebnerd": f"{split}/behaviors.parquet",
        "adressa": f"{item.stem}/20170101",
    }[item.publisher]
    source = SourceFile(Path(item.file), item.file, 0, 0)
    probe = Member(source, member, lambda: nullcontext(None))  # type: ignore[arg-type, return-value]
    found = publisher(item.publisher).classify(probe)
    if found is None:
        return None
    origin = found[1]
    return f"{origin.dataset}/{origin.split}" if item.publisher == "ebnerd" else origin.dataset


def test_every_release_is_there_once_with_its_facts():
    catalogue = releases()
    assert [r.name for r in catalogue] == NAMES
    assert len({r.file.lower() for r in catalogue}) == len(catalogue)
    for item in catalogue:
        assert item.publisher in ("ebnerd", "adressa", "mind")
        assert item.licence.name and item.licence.url.startswith("https://")
        assert item.links or item.form, item.name
        assert all(url.startswith("https://") for url in item.links), item.name
        assert all(url.endswith(f"/{item.file}") for url in (*item.links, *item.retired))
        assert item.approx_bytes > 0
        assert item.size_bytes is None or item.size_bytes > 0
        assert item.sha256 is None or re.fullmatch(r"[0-9a-f]{16,64}", item.sha256)
        assert item.first_event.tzinfo is UTC and item.first_event < item.last_event
        assert item.impressions and all(n > 0 for n in item.impressions.values())


def test_the_facts_of_the_research_notes():
    assert release("mind-small-train").impressions == {"MINDsmall_train": 156_965}
    assert release("ebnerd-testset").size_bytes == 1_631_004_285
    assert release("adressa-one-week").sha256 == (
        "a68a1af8322e7fabada7a8b8a118ba0564beab7eb0433e80b3dec13cf5158e03"
    )
    assert release("adressa-one-week").first_event == datetime(2016, 12, 31, 23, tzinfo=UTC)
    assert release("adressa-three-month").last_event == datetime(
        2017, 3, 31, 21, 59, 59, tzinfo=UTC
    )
    assert release("ebnerd-testset").last_event == datetime(2023, 6, 8, 6, 59, 59, tzinfo=UTC)
    assert all(not r.urls and r.form for r in releases() if r.publisher == "ebnerd")
    assert all(r.retired and r.mirrors for r in releases() if r.publisher == "mind")


@pytest.mark.parametrize("item", releases(), ids=lambda r: r.name)
def test_the_loader_reads_each_file_as_its_release(item):
    for dataset in item.impressions:
        assert loader_dataset(item, dataset) == dataset
    assert item.stem == next(iter(item.impressions)).partition("/")[0]


def test_the_probe_fails_on_a_name_the_loader_does_not_know():
    renamed = dataclasses.replace(release("mind-small-dev"), file="mind_small_dev.zip")
    assert loader_dataset(renamed, "MINDsmall_dev") is None


def test_release_for_file():
    for item in releases():
        assert release_for_file(item.file) == item
        assert release_for_file(item.file.upper()) == item
        assert release_for_file(f"{item.stem}/some/member") == item
    assert release_for_file("ebnerd_small.zip", publisher="mind") is None
    assert release_for_file("MINDsmall_train.zip.part") is None
    assert release_for_file("20170101") is None
    assert release_for_file("MINDsmall_train") is None
    assert release_for_file("") is None


def test_an_unknown_name_lists_the_known_ones():
    with pytest.raises(UnknownReleaseError) as raised:
        release("mind-small-test")
    assert (
        str(raised.value)
        == f"unknown release 'mind-small-test'; known releases: {', '.join(NAMES)}"
    )


GOOD = """
[licences.x]
name = "X"
url = "https://x.test/licence"
summary = "s"
[releases.a]
publisher = "mind"
file = "MINDsmall_train.zip"
urls = ["https://x.test/MINDsmall_train.zip"]
approx_size = "1 MB"
licence = "x"
first_event = 2019-11-09T00:00:00Z
last_event = 2019-11-14T23:59:59Z
"""


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (('publisher = "mind"', 'publisher = "msn"'), "release a: publisher 'msn' is not one of"),
        (('licence = "x"', 'licence = "y"'), "release a: licence 'y' is not in [licences]"),
        (('approx_size = "1 MB"', 'approx_size = "1MB"'), "approx_size '1MB' is not"),
        (("T00:00:00Z", "T00:00:00"), "first_event must be a date-time with a UTC offset"),
        (("2019-11-14T", "2019-11-01T"), "first_event is after last_event"),
        (("licence = ", "sha256 = 'ABC'\nlicence = "), "sha256 'ABC' is not 16 to 64"),
        (("licence = ", "size = 3\nlicence = "), "unknown keys size"),
        (('file = "MINDsmall_train.zip"\n', ""), "missing file"),
        (('urls = ["https://x.test/MINDsmall_train.zip"]\n', ""), "needs urls, or the form"),
    ],
)
def test_a_wrong_catalogue_fails_by_release_and_key(change, error):
    assert len(parse_catalogue(GOOD)) == 1
    with pytest.raises(CatalogueError, match=re.escape(error)):
        parse_catalogue(GOOD.replace(*change))


def test_two_releases_of_one_file_are_refused():
    twice = GOOD + "[releases.b]" + GOOD.split("[releases.a]")[1]
    with pytest.raises(
        CatalogueError, match=re.escape("b: file MINDsmall_train.zip is also the file of a")
    ):
        parse_catalogue(twice)


def test_the_readme_table_is_the_catalogue():
    text = README.read_text("utf-8")
    start, end = text.index(README_BEGIN), text.index(README_END) + len(README_END)
    assert text[start:end] == markdown_table(releases()), (
        "README.md's release table differs from releases.toml: regenerate it with "
        "`uv run --package ingestion newsrec-download list --markdown`"
    )
