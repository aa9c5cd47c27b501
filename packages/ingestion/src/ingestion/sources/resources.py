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
from ingestion.errors import BadInputError, SourceFileError
from ingestion.inventory import INVENTORY_TABLE, Entry
from ingestion.landing import SourceFile, iter_members
from ingestion.progress import LoadStep, Progress
from ingestion.publishers import Publisher
from ingestion.report import RunLog

_UNREADABLE = (zipfile.BadZipFile, tarfile.TarError, zlib.error, EOFError, OSError)


def publisher_resources(
    publisher: Publisher,
    read: list[SourceFile],
    inventory: dict[str, Entry],
    log: RunLog,
    progress: Progress,
) -> list[DltResource]:
    """A resource per raw table over the files to read, then the full inventory."""
    tables = [table_resource(publisher, table, read, log, progress) for table in publisher.tables]
    return [*tables, inventory_resource(read, inventory)]


def table_resource(
    publisher: Publisher, table: str, files: list[SourceFile], log: RunLog, progress: Progress
) -> DltResource:
    """A resource yielding the Arrow tables of every member that belongs to `table`, each read
    one table ahead in a background thread while dlt writes the previous one; `progress` hears
    the rows read from each file as they come. Any error while reading a file, ours or a
    library's, names the file and member it happened in."""

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
            except SourceFileError:
                raise
            except _UNREADABLE as error:
                raise BadInputError(
                    source.rel, member_name, None, f"cannot read: {error}"
                ) from error
            except Exception as error:
                raise SourceFileError(
                    source.rel, member_name, None, f"{type(error).__name__}: {error}"
                ) from error

    return dlt.resource(
        rows,
        name=table,
        write_disposition="append",
        columns=dict(publisher.column_hints(table)),
    )


def inventory_resource(read: list[SourceFile], inventory: dict[str, Entry]) -> DltResource:
    """The full inventory after this load: the files read point at this load's rows, the others
    keep theirs (none for a duplicate). An empty folder still writes one (null) row so the
    removal is a load."""

    def rows() -> Iterator[pa.Table]:
        load_id = dlt.current.load_package_state()["load_id"]
        fresh = {s.rel for s in read}
        names = list(inventory) or [None]
        entries = list(inventory.values())

        def column(values: list[str | None]) -> pa.Array:
            return pa.array(values if entries else [None], pa.string())

        yield pa.table(
            {
                "source_file": pa.array(names, pa.string()),
                "fingerprint": column([e.fingerprint for e in entries]),
                "content": column([e.content for e in entries]),
                "rows_load_id": column(
                    [load_id if n in fresh else e.rows_load_id for n, e in inventory.items()]
                ),
                "duplicate_of": column([e.duplicate_of for e in entries]),
            }
        )

    return dlt.resource(rows, name=INVENTORY_TABLE, write_disposition="append")
