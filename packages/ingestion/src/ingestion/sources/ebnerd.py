"""The dlt source of EB-NeRD: `ingestion.publishers.ebnerd` describes its files and readers."""

from __future__ import annotations

from collections.abc import Sequence

import dlt
from dlt.extract.resource import DltResource

from ingestion.inventory import Entry
from ingestion.landing import SourceFile
from ingestion.progress import Progress
from ingestion.publishers.ebnerd import EBNERD
from ingestion.report import RunLog
from ingestion.sources.resources import publisher_resources


@dlt.source(name="ebnerd", max_table_nesting=0)
def ebnerd(
    read: Sequence[SourceFile],
    inventory: dict[str, Entry],
    log: RunLog,
    progress: Progress,
) -> list[DltResource]:
    """Behaviours, histories and articles of the files to read, plus the inventory."""
    return publisher_resources(EBNERD, list(read), inventory, log, progress)
