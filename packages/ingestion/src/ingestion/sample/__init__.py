"""Synthetic, format-faithful downloads of EB-NeRD, Adressa and MIND, with a report of the counts
a correct warehouse must show for them. `newsrec-sample` is the command-line entry point."""

from ingestion.sample.adressa import write_adressa_day
from ingestion.sample.generate import generate_sample

__all__ = ["generate_sample", "write_adressa_day"]
