"""`newsrec-export`'s work: every evaluation split asked for, in MIND's format, as Parquet, or as
the baselines' rankings in MIND's submission format."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from research import mind_format, parquet_format
from research.splits import list_splits
from research.warehouse import connect

FORMATS = ("mind", "parquet", "predictions")
BASELINES = ("random", "popular", "recent", "decayed")


class ExportError(RuntimeError):
    """Nothing matches what was asked for."""


@dataclass(frozen=True)
class Written:
    path: Path
    rows: int
    unit: str


def export(
    warehouse: Path,
    to: Path,
    *,
    publisher: str | None = None,
    split: str | None = None,
    fmt: str = "mind",
) -> list[Written]:
    """Write the splits of `warehouse` that match `publisher` and `split` (all when None) into
    `to`: `mind` gives one zip per release and split (`mind/<stem>.zip`), `parquet` one folder
    per publisher and split (`parquet/<publisher>/<split>/`), `predictions` one file per baseline
    and labeled split (`predictions/<stem>/<baseline>.txt`)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    to.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(dir=to, prefix=".spill-") as spill,
        connect(warehouse, Path(spill)) as con,
    ):
        splits = list_splits(con, publisher, split)
        if fmt == "predictions":
            splits = [s for s in splits if s.is_labeled]
        if not splits:
            wanted = ", ".join(
                f"{name} {value}"
                for name, value in (("publisher", publisher), ("split", split))
                if value
            )
            raise ExportError(
                f"no {'labeled ' if fmt == 'predictions' else ''}evaluation split"
                f"{' for ' + wanted if wanted else ''} in {warehouse}"
            )
        if fmt == "mind":
            folder = to / "mind"
            folder.mkdir(exist_ok=True)
            return [
                Written(*mind_format.write_archive(con, s, folder), unit=s.stem) for s in splits
            ]
        if fmt == "parquet":
            pairs = sorted({(s.publisher, s.split) for s in splits})
            return [
                Written(
                    *parquet_format.write_split(con, p, name, to / "parquet"), unit=f"{p}/{name}"
                )
                for p, name in pairs
            ]
        written = []
        for s in splits:
            folder = to / "predictions" / s.stem
            folder.mkdir(parents=True, exist_ok=True)
            for model in BASELINES:
                path, rows = mind_format.write_predictions(con, s, model, folder / f"{model}.txt")
                written.append(Written(path, rows, unit=f"{s.stem} {model}"))
        return written
