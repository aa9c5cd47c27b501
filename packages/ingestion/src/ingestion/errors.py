"""Errors that name the exact place of a failure, so a user can open the file and look."""

from __future__ import annotations


class SourceFileError(Exception):
    """A publisher's load failed on one of its files: names the file on disk, the member inside
    the archive and the line where they are known. Raised for any error met while reading a
    file, ours or a library's."""

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


class BadInputError(SourceFileError, ValueError):
    """Malformed input: names the file on disk, the member inside the archive and the line."""


class ConflictingFilesError(BadInputError):
    """Two files with different bytes claim the same release, split and member: loading both
    would count the same rows twice, and only the user knows which one is right."""

    def __init__(self, file: str, other: str, claim: str) -> None:
        self.other = other
        super().__init__(
            file,
            None,
            None,
            f"holds {claim}, and so does {other}, with different bytes: "
            "keep one of the two files in the folder",
        )


def located(error: BaseException | None) -> SourceFileError | None:
    """The `SourceFileError` behind `error`, if any: dlt wraps errors raised in resources."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, SourceFileError):
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None


def describe_failure(error: BaseException) -> str:
    """One line for a failed publisher: where and why when a file is known, else the innermost
    error's type and first line (dlt's own messages wrap it in several paragraphs)."""
    found = located(error)
    if found is not None:
        return str(found)
    innermost, seen = error, set()
    while id(innermost) not in seen and (innermost.__cause__ or innermost.__context__):
        seen.add(id(innermost))
        innermost = innermost.__cause__ or innermost.__context__  # type: ignore[assignment]
    lines = str(innermost).strip().splitlines()
    return f"{type(innermost).__name__}: {lines[0] if lines else 'no message'}"
