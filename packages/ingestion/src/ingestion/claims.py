"""What a file says it holds, from names alone: the release, split and member of every data file
in it. Two files with different bytes that claim the same are an error naming both: loading both
would count the same rows twice (a duplicate download with the same bytes is skipped instead)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from ingestion.errors import ConflictingFilesError
from ingestion.landing import ARCHIVE_SUFFIXES, SourceFile, zip_names
from ingestion.publishers import Publisher
from ingestion.snapshot import probe

WHOLE_RELEASE = "*"


@dataclass(frozen=True)
class Claim:
    dataset: str
    split: str | None
    member: str
    """The data file's name (`behaviors.tsv`, `20170101`), or WHOLE_RELEASE for a streamed
    archive, whose members are not listed before it is read."""

    def overlaps(self, other: Claim) -> bool:
        if (self.dataset, self.split) != (other.dataset, other.split):
            return False
        return WHOLE_RELEASE in (self.member, other.member) or self.member == other.member

    def __str__(self) -> str:
        split = f", split {self.split}" if self.split else ""
        member = "" if self.member == WHOLE_RELEASE else f", {self.member}"
        return f"release {self.dataset}{split}{member}"


def claims(publisher: Publisher, source: SourceFile) -> frozenset[Claim]:
    """A zip's members by its central directory, a loose file by its path; a tar is streamed, so
    it claims the whole release it is named after."""
    name = source.rel.lower()
    if source.is_archive and not name.endswith(".zip"):
        stem = PurePosixPath(source.rel).name
        for suffix in ARCHIVE_SUFFIXES:
            if stem.lower().endswith(suffix):
                stem = stem[: -len(suffix)]
                break
        return frozenset({Claim(stem, None, WHOLE_RELEASE)})
    try:
        names = zip_names(source) if source.is_archive else [source.rel]
    except zipfile.BadZipFile:
        return frozenset()  # reported when it is read
    found = set()
    for member in names:
        classified = publisher.classify(probe(source, member))
        if classified is not None:
            _, origin = classified
            found.add(Claim(origin.dataset, origin.split, PurePosixPath(member).name))
    return frozenset(found)


def check_conflicts(
    publisher: Publisher, reading: list[SourceFile], others: list[SourceFile]
) -> None:
    """Raise `ConflictingFilesError` when a file to read claims what another file claims."""
    held = {source.rel: claims(publisher, source) for source in [*others, *reading]}
    for source in reading:
        for other, their in held.items():
            if other == source.rel:
                continue
            for mine in held[source.rel]:
                clash = next((c for c in their if mine.overlaps(c)), None)
                if clash is not None:
                    first, second = sorted((source.rel, other))
                    raise ConflictingFilesError(first, second, str(mine))
