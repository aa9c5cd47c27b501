"""What one publisher's ingestion did, for logs, the CLI and Dagster metadata."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class RunLog:
    """What a run skipped while reading, for the report: unrecognised members and bad lines."""

    unknown: set[str] = field(default_factory=set)
    bad_lines: dict[str, int] = field(default_factory=dict)
    bad_line_numbers: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class LoadReport:
    publisher: str
    status: str  # "loaded", "up_to_date" or "empty"
    load_id: str | None
    rows_per_table: dict[str, int] = field(default_factory=dict)
    files_read: list[str] = field(default_factory=list)
    files_removed: list[str] = field(default_factory=list)
    files_unchanged: list[str] = field(default_factory=list)
    skipped_files: list[str] = field(default_factory=list)
    duplicates: dict[str, str] = field(default_factory=dict)
    """A file skipped for having the same bytes as another, and that other file."""
    bad_lines_skipped: dict[str, int] = field(default_factory=dict)
    bad_line_numbers: dict[str, list[int]] = field(default_factory=dict)
    """The first few of those lines (up to 10 per member), to look at."""
    duration_s: float = 0.0
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
