"""The evaluation splits there are to export, and what their files are called."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

MIND = "mind"


@dataclass(frozen=True)
class Split:
    """One release's split of one publisher, as `research.benchmark_splits` lists it."""

    publisher: str
    dataset: str
    split: str
    is_labeled: bool
    impressions: int
    split_number: int

    @property
    def release(self) -> str:
        """The release without the split: `ebnerd_small/train` -> `ebnerd_small`."""
        return self.dataset.split("/", 1)[0]

    @property
    def stem(self) -> str:
        """MIND keeps its own archive names (`MINDsmall_dev`), which MIND's tools and this
        project's ingestion recognise; the others are `<publisher release>_<split>_mind`:
        `ebnerd_small_train_mind`, `adressa_one_week_test_mind`."""
        if self.publisher == MIND:
            return self.dataset
        release = self.release
        if not release.startswith(self.publisher):
            release = f"{self.publisher}_{release}"
        return f"{release}_{self.split}_mind"


def list_splits(
    con: duckdb.DuckDBPyConnection, publisher: str | None = None, split: str | None = None
) -> list[Split]:
    rows = con.execute(
        "select publisher, dataset, split, is_labeled, impressions, split_number "
        "from research.benchmark_splits "
        "where ($publisher is null or publisher = $publisher) "
        "and ($split is null or split = $split) "
        "order by publisher, dataset, split",
        {"publisher": publisher, "split": split},
    ).fetchall()
    return [Split(*row) for row in rows]
