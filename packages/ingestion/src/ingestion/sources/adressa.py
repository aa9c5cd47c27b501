"""Adressa (Adresseavisen): `one_week.tar.gz` / `three_month.tar.gz` holding daily JSON-lines
files named `YYYYMMDD` without extension, or those daily files loose."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import dlt
import pyarrow as pa
from dlt.extract.resource import DltResource

from ingestion.discover import Member, SourceFile
from ingestion.inventory import Entry
from ingestion.readers import adressa as reader
from ingestion.readers.provenance import Origin
from ingestion.sources.common import RunLog, inventory_resource, table_resource

ARCHIVES = (".tar.gz", ".tgz", ".tar")
_DAY = re.compile(r"^\d{8}(\.jsonl?)?$")
_ARCHIVE_SUFFIX = re.compile(r"(\.tar\.gz|\.tgz|\.tar)$", re.IGNORECASE)


def classify(member: Member) -> tuple[str, Origin] | None:
    """A daily file; the release is the archive's name (`one_week`) or the enclosing folder."""
    if not _DAY.match(member.basename):
        return None
    parents = member.parts[:-1]
    dataset = _ARCHIVE_SUFFIX.sub("", parents[0]) if parents else "adressa"
    return "events", Origin(member.source.rel, member.name, dataset, None)


def read(member: Member, table: str, origin: Origin, log: RunLog) -> Iterator[pa.Table]:
    bad = reader.BadLines()
    with member.open() as stream:
        yield from reader.read_events(stream, origin, bad)
    if bad.count:
        log.bad_lines[f"{origin.source_file} :: {origin.member}"] = bad.count


@dlt.source(name="adressa", max_table_nesting=0)
def adressa(
    files: Sequence[SourceFile],
    changed: Sequence[SourceFile],
    previous: dict[str, Entry],
    log: RunLog,
) -> list[DltResource]:
    """Events of the changed files, plus the inventory."""
    return [
        table_resource("events", list(changed), classify, read, log),
        inventory_resource(list(files), list(changed), previous),
    ]
