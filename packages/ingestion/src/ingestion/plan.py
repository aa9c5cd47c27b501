"""What one load does, decided before anything is read: which files are read, which are the same
bytes as another file (reported and skipped), and the inventory after the load."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ingestion.claims import check_conflicts
from ingestion.errors import SourceFileError
from ingestion.identity import content_of
from ingestion.inventory import Entry
from ingestion.landing import SourceFile
from ingestion.publishers import Publisher


@dataclass(frozen=True)
class Plan:
    read: list[SourceFile]
    """Files whose rows this load reads: new, changed in content, or no longer a duplicate."""
    inventory: dict[str, Entry]
    """The inventory after the load; the files read get this load's id when it is known."""
    unchanged: list[str]
    removed: list[str]
    duplicates: dict[str, str] = field(default_factory=dict)
    """A file with the same bytes as another, by name: the other one's rows stand for it."""
    changes_lake: bool = True
    """False when the inventory would be the same as the current one: nothing to load."""


def plan_load(
    publisher: Publisher, files: tuple[SourceFile, ...], previous: dict[str, Entry]
) -> Plan:
    contents = {f.rel: _content(f, previous.get(f.rel)) for f in files}
    by_content: dict[str, list[SourceFile]] = defaultdict(list)
    for source in files:
        by_content[contents[source.rel]].append(source)
    duplicates: dict[str, str] = {}
    kept: list[SourceFile] = []
    for content, group in by_content.items():
        # the copy whose rows are in the lake stays; else the oldest (the first downloaded)
        holding = [f for f in group if _holds_rows(previous.get(f.rel), content, f)]
        keep = min(holding or group, key=lambda f: (f.mtime_ns, f.rel))
        kept.append(keep)
        duplicates.update({f.rel: keep.rel for f in group if f is not keep})
    read = sorted(
        (f for f in kept if not _holds_rows(previous.get(f.rel), contents[f.rel], f)),
        key=lambda f: f.rel,
    )
    if read:
        check_conflicts(publisher, read, [f for f in kept if f not in read])
    inventory = {}
    for source in files:
        old = previous.get(source.rel)
        keeps_rows = old is not None and source not in read and source.rel not in duplicates
        inventory[source.rel] = Entry(
            fingerprint=source.fingerprint,
            content=contents[source.rel],
            rows_load_id=old.rows_load_id if old is not None and keeps_rows else None,
            duplicate_of=duplicates.get(source.rel),
        )
    return Plan(
        read=read,
        inventory=inventory,
        unchanged=sorted(f.rel for f in kept if f not in read),
        removed=sorted(set(previous) - {f.rel for f in files}),
        duplicates=dict(sorted(duplicates.items())),
        changes_lake=bool(read) or inventory != previous,
    )


def _content(source: SourceFile, old: Entry | None) -> str:
    """Remembered while the size and mtime are those of the last look; else hashed now."""
    if old is not None and old.content and old.fingerprint == source.fingerprint:
        return old.content
    try:
        return content_of(source.path)
    except OSError as error:
        raise SourceFileError(
            source.rel, None, None, f"cannot read it ({error}); if it was moved, run again"
        ) from error


def _holds_rows(old: Entry | None, content: str, source: SourceFile) -> bool:
    """The lake holds this file's rows for these bytes (an inventory written before contents
    were recorded vouches for them by size and mtime)."""
    if old is None or not old.rows_load_id:
        return False
    if old.content is None:
        return old.fingerprint == source.fingerprint
    return old.content == content
