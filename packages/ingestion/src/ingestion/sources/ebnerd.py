"""EB-NeRD (Ekstra Bladet): `ebnerd_{demo,small,large}.zip` (flat), `ebnerd_testset.zip`
(wrapped in a folder), or the same files extracted."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import dlt
import pyarrow as pa
from dlt.extract.resource import DltResource

from ingestion.discover import Member, SourceFile
from ingestion.inventory import Entry
from ingestion.readers import ebnerd as reader
from ingestion.readers.provenance import Origin
from ingestion.sources.common import RunLog, inventory_resource, table_resource

ARCHIVES = (".zip",)
SPLITS = ("train", "validation", "test")
_RELEASE = re.compile(r"^(ebnerd_[a-z0-9_]+?)(\.zip)?$", re.IGNORECASE)
NAIVE_TIMESTAMPS = {
    "behaviors": ("impression_time",),
    "history": (),
    "articles": ("last_modified_time", "published_time"),
}


def classify(member: Member) -> tuple[str, Origin] | None:
    """`articles.parquet` anywhere; `behaviors`/`history` only inside a split folder."""
    name = member.basename
    parents = member.parts[:-1]
    dataset = next(
        (m.group(1).lower() for p in reversed(parents) if (m := _RELEASE.match(p))), "ebnerd"
    )
    if name == "articles.parquet":
        return "articles", Origin(member.source.rel, member.name, dataset, None)
    if name in ("behaviors.parquet", "history.parquet") and parents and parents[-1] in SPLITS:
        table = name.removesuffix(".parquet")
        return table, Origin(member.source.rel, member.name, dataset, parents[-1])
    return None


def read(member: Member, table: str, origin: Origin, log: RunLog) -> Iterator[pa.Table]:
    yield from reader.read_parquet(member, table, origin)


@dlt.source(name="ebnerd", max_table_nesting=0)
def ebnerd(
    files: Sequence[SourceFile],
    changed: Sequence[SourceFile],
    previous: dict[str, Entry],
    log: RunLog,
) -> list[DltResource]:
    """Behaviours, histories and articles of the changed files, plus the inventory."""
    resources = [
        table_resource(table, list(changed), classify, read, log, _naive_hints(table))
        for table in ("behaviors", "history", "articles")
    ]
    return [*resources, inventory_resource(list(files), list(changed), previous)]


def _naive_hints(table: str) -> dict[str, dict[str, object]]:
    """EB-NeRD timestamps are naive; without the hint dlt would write them as UTC-aware."""
    return {
        name: {"data_type": "timestamp", "timezone": False, "precision": 6}
        for name in NAIVE_TIMESTAMPS[table]
    }
