"""Errors that name the exact place of bad input, so a user can open the file and look."""

from __future__ import annotations


class BadInputError(ValueError):
    """Malformed input: names the file on disk, the member inside the archive and the line."""

    def __init__(self, file: str, member: str | None, line: int | None, reason: str) -> None:
        self.file = file
        self.member = member
        self.line = line
        self.reason = reason
        where = file
        if member and member != file:
            where += f", member {member}"
        if line is not None:
            where += f", line {line}"
        super().__init__(f"{where}: {reason}")
