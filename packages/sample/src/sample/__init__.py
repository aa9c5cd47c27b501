"""Synthetic, format-faithful downloads of EB-NeRD, Adressa and MIND, with a report of the counts
a correct warehouse must show for them, and real EB-NeRD rows to test loaders against.
`newsrec-sample` is the command-line entry point."""

from importlib.resources import files
from pathlib import Path

from sample.adressa import write_adressa_day
from sample.generate import generate_sample

EBNERD_BENCHMARK_ROWS = Path(str(files(__package__) / "fixtures" / "ebnerd-benchmark"))
"""`behaviors.parquet` and `history.parquet` from the official EB-NeRD toolbox (see its README)."""

__all__ = ["EBNERD_BENCHMARK_ROWS", "generate_sample", "write_adressa_day"]
