"""The resources every publisher's source is made of: one per raw table, streaming the Arrow
tables of the members that belong to it, and the inventory."""

from __future__ import annotations

import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import closing

import dlt
import pyarrow as pa
from dlt.extract.resource import DltResource

from ingestion.ahead import read_ahead
from ingestion.errors import BadInputError
from ingestion.inventory import INVENTORY_TABLE, Entry
from ingestion.landing import SourceFile, iter_members
from ingestion.progress import LoadStep, Progress
from ingestion.publishers import Publisher
from ingestion.report import RunLog

_UNREADABLE = (zipfile.BadZipFile, tarfile.TarError, zlib.error, EOFError, OSError)


def publisher_resources(
    publisher: Publisher,
    files: list[SourceFile],
    changed: list[SourceFile],
    previous: dict[str, Entry],
    log: RunLog,
    progress: Progress,
) -> list[DltResource]:
    """A resource per raw table over the changed files, then the full inventory."""
    tables = [
        table_resource(publisher, table, changed, log, progress) for table in publisher.tables
    ]
    return [*tables, inventory_resource(files, changed, previous)]


def table_resource(
    publisher: Publisher, table: str, files: list[SourceFile], log: RunLog, progress: Progress
) -> DltResource:
    """A resource yielding the Arrow tables of every member that belongs to `table`, each read
    one table ahead in a background thread while dlt writes the previous one; `progress` hears
    the rows read from each file as they come."""

    def rows() -> Iterator[pa.Table]:
        for source in files:
            member_name = None
            read: int | None = None  # rows of `table` read from `source`, once it has some
            try:
                with closing(iter_members(source)) as members:
                    for member in members:
                        member_name = member.name
                        found = publisher.classify(member)
                        if found is None:
                            log.unknown.add(f"{source.rel} :: {member.name}")
                        elif found[0] == table:
                            if read is None:
                                read = 0
                                progress(LoadStep(publisher.name, "read", source.rel, table))
                            for batch in read_ahead(publisher.read(member, table, found[1], log)):
                                read += batch.num_rows
                                progress(LoadStep(publisher.name, "read", source.rel, table, read))
                                yield batch
                if read is not None:
                    progress(LoadStep(publisher.name, "read", source.rel, table, read, True))
            except _UNREADABLE as error:
                raise BadInputError(
                    source.rel, member_name, None, f"cannot read: {error}"
                ) from error

    return dlt.resource(
        rows,
        name=table,
        write_disposition="append",
        columns=dict(publisher.column_hints(table)),
    )


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
