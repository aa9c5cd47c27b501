"""MIND (Microsoft News): `MIND<variant>_<split>.zip` archives or their extracted folders."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import dlt
import pyarrow as pa
from dlt.extract.resource import DltResource

from ingestion.discover import Member, SourceFile
from ingestion.inventory import Entry
from ingestion.readers import mind as reader
from ingestion.readers.provenance import Origin
from ingestion.sources.common import RunLog, inventory_resource, table_resource

ARCHIVES = (".zip",)
TABLES = {
    "behaviors.tsv": "behaviors",
    "news.tsv": "news",
    "entity_embedding.vec": "entity_embedding",
    "relation_embedding.vec": "relation_embedding",
}
SPLITS = {"train": "train", "dev": "validation", "valid": "validation", "test": "test"}
_RELEASE = re.compile(r"^MIND([a-z]+)_(train|dev|valid|test)(\.zip)?$", re.IGNORECASE)


def classify(member: Member) -> tuple[str, Origin] | None:
    """Table and release of a member, from its name and the nearest `MIND<variant>_<split>`."""
    table = TABLES.get(member.basename)
    if table is None:
        return None
    for part in reversed(member.parts[:-1]):
        match = _RELEASE.match(part)
        if match:
            variant, split = match.group(1).lower(), match.group(2).lower()
            dataset = f"MIND{variant}_{'dev' if split == 'valid' else split}"
            return table, Origin(member.source.rel, member.name, dataset, SPLITS[split])
    return None


def read(member: Member, table: str, origin: Origin, log: RunLog) -> Iterator[pa.Table]:
    with member.open() as stream:
        if table == "behaviors":
            yield from reader.read_tsv(stream, reader.BEHAVIORS_COLUMNS, origin)
        elif table == "news":
            yield from reader.read_tsv(stream, reader.NEWS_COLUMNS, origin)
        else:
            yield from reader.read_embeddings(stream, origin)


@dlt.source(name="mind", max_table_nesting=0)
def mind(
    files: Sequence[SourceFile],
    changed: Sequence[SourceFile],
    previous: dict[str, Entry],
    log: RunLog,
) -> list[DltResource]:
    """Behaviours, news and the two embedding tables of the changed files, plus the inventory."""
    resources = [
        table_resource(table, list(changed), classify, read, log) for table in TABLES.values()
    ]
    return [*resources, inventory_resource(list(files), list(changed), previous)]
