"""The three publishers, described once: name, title, file kinds, how files are recognised and
read. The loader, the sensor and the dlt sources all take them from here."""

from __future__ import annotations

from ingestion.publishers.adressa import ADRESSA
from ingestion.publishers.description import Classifier, Publisher, Reader
from ingestion.publishers.ebnerd import EBNERD
from ingestion.publishers.mind import MIND

REGISTRY: dict[str, Publisher] = {p.name: p for p in (EBNERD, ADRESSA, MIND)}
PUBLISHERS: tuple[str, ...] = tuple(REGISTRY)


def publisher(name: str) -> Publisher:
    """The publisher called `name`; a clear error naming the known ones otherwise."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise ValueError(
            f"unknown publisher {name!r}; expected one of {', '.join(PUBLISHERS)}"
        ) from None


__all__ = ["PUBLISHERS", "REGISTRY", "Classifier", "Publisher", "Reader", "publisher"]
