"""MIND (Microsoft News): `MIND<variant>_<split>.zip` archives or their extracted folders."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ingestion.landing import Member, Origin
from ingestion.publishers.description import Publisher
from ingestion.report import RunLog

if TYPE_CHECKING:
    import pyarrow as pa

FILE_TABLES = {
    "behaviors.tsv": "behaviors",
    "news.tsv": "news",
    "entity_embedding.vec": "entity_embedding",
    "relation_embedding.vec": "relation_embedding",
}
SPLITS = {"train": "train", "dev": "validation", "valid": "validation", "test": "test"}
_RELEASE = re.compile(r"^MIND([a-z]+)_(train|dev|valid|test)(\.zip)?$", re.IGNORECASE)


def classify(member: Member) -> tuple[str, Origin] | None:
    """Table and release of a member, from its name and the nearest `MIND<variant>_<split>`."""
    table = FILE_TABLES.get(member.basename)
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
    from ingestion.readers import mind as reader

    with member.open() as stream:
        if table == "behaviors":
            yield from reader.read_tsv(stream, reader.BEHAVIORS_COLUMNS, origin)
        elif table == "news":
            yield from reader.read_tsv(stream, reader.NEWS_COLUMNS, origin)
        else:
            yield from reader.read_embeddings(stream, origin)


MIND = Publisher(
    name="mind",
    title="MIND (Microsoft)",
    tables=tuple(FILE_TABLES.values()),
    archive_suffixes=(".zip",),
    classify=classify,
    read=read,
)
