"""What the three publisher sources share: picking the files to read, a resource per raw table
that streams Arrow tables out of the matching members, and the inventory resource."""

from __future__ import annotations

import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, nullcontext
from dataclasses import dataclass, field
from typing import Any

import dlt
import pyarrow as pa
from dlt.extract.resource import DltResource

from ingestion.ahead import read_ahead
from ingestion.discover import Member, SourceFile, iter_members, zip_names
from ingestion.errors import BadInputError
from ingestion.inventory import INVENTORY_TABLE, Entry
from ingestion.readers.provenance import Origin

Classifier = Callable[[Member], "tuple[str, Origin] | None"]
_UNREADABLE = (zipfile.BadZipFile, tarfile.TarError, zlib.error, EOFError, OSError)
Reader = Callable[[Member, str, Origin, "RunLog"], Iterator[pa.Table]]


@dataclass
class RunLog:
    """What a run skipped, for the report: unrecognised files and members, and bad lines."""

    unknown: set[str] = field(default_factory=set)
    bad_lines: dict[str, int] = field(default_factory=dict)


def select_files(
    files: Iterable[SourceFile], classify: Classifier, archive_suffixes: tuple[str, ...]
) -> tuple[list[SourceFile], list[str]]:
    """Split the landing folder into files this publisher can read and unknown ones."""
    accepted, unknown = [], []
    for source in files:
        name = source.rel.lower()
        if name.endswith(".zip") and ".zip" in archive_suffixes:
            known = _zip_has_known_member(source, classify)
        elif source.is_archive:
            known = name.endswith(archive_suffixes)
        else:
            known = classify(_probe(source, source.rel)) is not None
        (accepted if known else unknown).append(source)
    return accepted, [s.rel for s in unknown]


def table_resource(
    table: str,
    files: list[SourceFile],
    classify: Classifier,
    read: Reader,
    log: RunLog,
    columns: dict[str, Any] | None = None,
) -> DltResource:
    """A resource yielding the Arrow tables of every member that belongs to `table`, each read
    one table ahead in a background thread while dlt writes the previous one."""

    def rows() -> Iterator[pa.Table]:
        for source in files:
            member_name = None
            try:
                with closing(iter_members(source)) as members:
                    for member in members:
                        member_name = member.name
                        found = classify(member)
                        if found is None:
                            log.unknown.add(f"{source.rel} :: {member.name}")
                        elif found[0] == table:
                            yield from read_ahead(read(member, table, found[1], log))
            except _UNREADABLE as error:
                raise BadInputError(
                    source.rel, member_name, None, f"cannot read: {error}"
                ) from error

    return dlt.resource(rows, name=table, write_disposition="append", columns=columns or {})


def inventory_resource(
    files: list[SourceFile], changed: list[SourceFile], previous: dict[str, Entry]
) -> DltResource:
    """The full inventory after this load: changed files point at this load's rows, unchanged
    files keep theirs. An empty folder still writes one (null) row so the removal is a load."""

    def rows() -> Iterator[pa.Table]:
        load_id = dlt.current.load_package_state()["load_id"]
        fresh = {s.rel for s in changed}
        names, prints, loads = [], [], []
        for source in files:
            names.append(source.rel)
            prints.append(source.fingerprint)
            loads.append(load_id if source.rel in fresh else previous[source.rel].rows_load_id)
        if not names:
            names, prints, loads = [None], [None], [None]
        yield pa.table(
            {
                "source_file": pa.array(names, pa.string()),
                "fingerprint": pa.array(prints, pa.string()),
                "rows_load_id": pa.array(loads, pa.string()),
            }
        )

    return dlt.resource(rows, name=INVENTORY_TABLE, write_disposition="append")


def _zip_has_known_member(source: SourceFile, classify: Classifier) -> bool:
    try:
        names = zip_names(source)
    except zipfile.BadZipFile as error:
        raise BadInputError(
            source.rel, None, None, f"not a readable zip archive: {error}"
        ) from error
    return any(classify(_probe(source, name)) is not None for name in names)


def _probe(source: SourceFile, name: str) -> Member:
    return Member(source, name, lambda: nullcontext(None))  # type: ignore[arg-type, return-value]
