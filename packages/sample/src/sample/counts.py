"""What a correct warehouse must show for the generated files, per publisher.

Each generating task returns a `Tally` of what it wrote; articles and users are carried as the
distinct keys themselves, because the same article or user appears in several files and only the
union can be counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

COUNT_KEYS = ("impressions", "candidates", "clicks", "unlabeled_candidates", "articles", "users")


@dataclass
class Tally:
    """Counts of one generated file (or member); `bad_lines` maps `file :: member` to the lines
    the ingestion will skip, keyed as in its load report."""

    impressions: int = 0
    candidates: int = 0
    clicks: int = 0
    unlabeled_candidates: int = 0
    articles: pa.Array = field(default_factory=lambda: pa.array([], pa.string()))
    users: pa.Array = field(default_factory=lambda: pa.array([], pa.string()))
    bad_lines: dict[str, int] = field(default_factory=dict)


def merge(tallies: Iterable[Tally]) -> Tally:
    tallies = list(tallies)
    total = Tally()
    for tally in tallies:
        total.impressions += tally.impressions
        total.candidates += tally.candidates
        total.clicks += tally.clicks
        total.unlabeled_candidates += tally.unlabeled_candidates
        total.bad_lines.update(tally.bad_lines)
    total.articles = _distinct([t.articles for t in tallies])
    total.users = _distinct([t.users for t in tallies])
    return total


def _distinct(arrays: list[pa.Array]) -> pa.Array:
    if not arrays:
        return pa.array([], pa.string())
    return pc.unique(pa.chunked_array(arrays, pa.string()))


def as_report(tally: Tally) -> dict[str, int]:
    return {
        "impressions": tally.impressions,
        "candidates": tally.candidates,
        "clicks": tally.clicks,
        "unlabeled_candidates": tally.unlabeled_candidates,
        "articles": len(tally.articles),
        "users": len(tally.users),
    }
