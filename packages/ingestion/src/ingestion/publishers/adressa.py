"""Adressa (Adresseavisen): `one_week.tar.gz` / `three_month.tar.gz` holding daily JSON-lines
files named `YYYYMMDD` without extension, or those daily files loose."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from ingestion.landing import Member, Origin
from ingestion.publishers.description import Publisher
from ingestion.report import RunLog

if TYPE_CHECKING:
    import pyarrow as pa

_DAY = re.compile(r"^\d{8}(\.jsonl?)?$")
_ARCHIVE_SUFFIX = re.compile(r"(\.tar\.gz|\.tgz|\.tar)$", re.IGNORECASE)


def classify(member: Member) -> tuple[str, Origin] | None:
    """A daily file; the release is the archive's name (`one_week`, wherever the archive is) or,
    for a loose file, its top folder."""
    if not _DAY.match(member.basename):
        return None
    if member.source.is_archive:
        dataset = _ARCHIVE_SUFFIX.sub("", PurePosixPath(member.source.rel).name)
    else:
        parents = member.parts[:-1]
        dataset = parents[0] if parents else "adressa"
    return "events", Origin(member.source.rel, member.name, dataset, None)


def read(member: Member, table: str, origin: Origin, log: RunLog) -> Iterator[pa.Table]:
    from ingestion.readers import adressa as reader

    bad = reader.BadLines()
    with member.open() as stream:
        yield from reader.read_events(stream, origin, bad)
    if bad.count:
        where = f"{origin.source_file} :: {origin.member}"
        log.bad_lines[where] = bad.count
        log.bad_line_numbers[where] = bad.lines


ADRESSA = Publisher(
    name="adressa",
    title="Adressa (Adresseavisen)",
    tables=("events",),
    archive_suffixes=(".tar.gz", ".tgz", ".tar"),
    classify=classify,
    read=read,
)
