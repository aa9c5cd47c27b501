"""For researchers: the warehouse's evaluation splits in the formats the field's tools read, and
MIND's official metrics for any submission."""

from research.evaluate import Scores, score_files
from research.export import ExportError, Written, export
from research.leaderboard import markdown as leaderboard_markdown
from research.warehouse import WarehouseError

__all__ = [
    "ExportError",
    "Scores",
    "WarehouseError",
    "Written",
    "export",
    "leaderboard_markdown",
    "score_files",
]
