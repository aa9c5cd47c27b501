"""EB-NeRD (Ekstra Bladet): `ebnerd_{demo,small,large}.zip` (flat), `ebnerd_testset.zip`
(wrapped in a folder), or the same files extracted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ingestion.landing import Member, Origin
from ingestion.publishers.description import Publisher
from ingestion.report import RunLog

if TYPE_CHECKING:
    import pyarrow as pa

SPLITS = ("train", "validation", "test")
_RELEASE = re.compile(r"^(ebnerd_[a-z0-9_]+?)(\.zip)?$", re.IGNORECASE)


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
    from ingestion.readers import ebnerd as reader

    yield from reader.read_parquet(member, table, origin)


def naive_timestamps(table: str) -> dict[str, dict[str, object]]:
    """EB-NeRD timestamps are naive; without the hint dlt would write them as UTC-aware."""
    import pyarrow as pa

    from ingestion.readers import ebnerd as reader

    return {
        field.name: {"data_type": "timestamp", "timezone": False, "precision": 6}
        for field in reader.SCHEMAS[table]
        if pa.types.is_timestamp(field.type)
    }


EBNERD = Publisher(
    name="ebnerd",
    title="EB-NeRD (Ekstra Bladet)",
    tables=("behaviors", "history", "articles"),
    archive_suffixes=(".zip",),
    classify=classify,
    read=read,
    column_hints=naive_timestamps,
)
