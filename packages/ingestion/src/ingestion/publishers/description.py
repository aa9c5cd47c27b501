"""What describes a publisher to the loader: its file kinds, how a file is recognised, how it is
read. One `Publisher` per dataset, defined in the module of that name.

Describing a publisher imports nothing heavy: the Arrow readers load when a member is read, so the
sensor and the Dagster code location can use the descriptions cheaply."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ingestion.landing import Member, Origin
from ingestion.report import RunLog

if TYPE_CHECKING:
    import pyarrow as pa

Classifier = Callable[[Member], "tuple[str, Origin] | None"]
"""A member's raw table and provenance, or None when it is no file of this publisher."""
Reader = Callable[[Member, str, Origin, RunLog], "Iterator[pa.Table]"]
"""The Arrow tables of one member of a raw table."""
ColumnHints = Callable[[str], Mapping[str, Mapping[str, Any]]]
"""dlt column hints of a raw table, where Arrow's types need help."""


def no_hints(table: str) -> Mapping[str, Mapping[str, Any]]:
    return {}


@dataclass(frozen=True)
class Publisher:
    name: str
    title: str
    tables: tuple[str, ...]
    """The file kinds: one raw table each, in the order they are loaded."""
    archive_suffixes: tuple[str, ...]
    """The archives its releases ship as (members are recognised inside them)."""
    classify: Classifier
    read: Reader
    column_hints: ColumnHints = no_hints
