"""The dlt source of MIND: `ingestion.publishers.mind` describes its files and readers."""

from __future__ import annotations

from collections.abc import Sequence

import dlt
from dlt.extract.resource import DltResource

from ingestion.inventory import Entry
from ingestion.landing import SourceFile
from ingestion.progress import Progress
from ingestion.publishers.mind import MIND
from ingestion.report import RunLog
from ingestion.sources.resources import publisher_resources


@dlt.source(name="mind", max_table_nesting=0)
def mind(
    read: Sequence[SourceFile],
    inventory: dict[str, Entry],
    log: RunLog,
    progress: Progress,
) -> list[DltResource]:
    """Behaviours, news and the two embedding tables of the files to read, plus the inventory."""
    return publisher_resources(MIND, list(read), inventory, log, progress)
