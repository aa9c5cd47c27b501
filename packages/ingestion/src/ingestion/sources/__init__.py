"""One `@dlt.source` per publisher: a resource per raw table plus the inventory. Importing this
package imports dlt; the rest of `ingestion` does not."""

from __future__ import annotations

from collections.abc import Callable

from dlt.extract.source import DltSource

from ingestion.sources.adressa import adressa
from ingestion.sources.ebnerd import ebnerd
from ingestion.sources.mind import mind

SOURCES: dict[str, Callable[..., DltSource]] = {"ebnerd": ebnerd, "adressa": adressa, "mind": mind}

__all__ = ["SOURCES", "adressa", "ebnerd", "mind"]
