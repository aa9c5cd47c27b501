"""The dlt source of Adressa: `ingestion.publishers.adressa` describes its files and readers."""

from __future__ import annotations

from collections.abc import Sequence

import dlt
from dlt.extract.resource import DltResource

from ingestion.inventory import Entry
from ingestion.landing import SourceFile
from ingestion.progress import Progress
from ingestion.publishers.adressa import ADRESSA
from ingestion.report import RunLog
from ingestion.sources.resources import publisher_resources


@dlt.source(name="adressa", max_table_nesting=0)
def adressa(
    read: Sequence[SourceFile],
    inventory: dict[str, Entry],
    log: RunLog,
    progress: Progress,
) -> list[DltResource]:
    """Events of the files to read, plus the inventory."""
    return publisher_resources(ADRESSA, list(read), inventory, log, progress)
