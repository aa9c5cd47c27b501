"""For researchers: the warehouse's evaluation splits in the formats the field's tools read, and
MIND's official metrics for any submission."""

from research.evaluate import Scores, score_files
from research.export import export

__all__ = ["Scores", "export", "score_files"]
