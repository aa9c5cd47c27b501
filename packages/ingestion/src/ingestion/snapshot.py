"""One look at a publisher's landing folder: which files the loader reads, which it reports and
skips, which are still downloading. The loader and the raw-download sensor both take it from
here, so one rule decides which files count."""

from __future__ import annotations

import zipfile
from contextlib import nullcontext
from dataclasses import dataclass

from ingestion.landing import Member, SourceFile, is_junk, scan, zip_names
from ingestion.layout import Layout
from ingestion.publishers import PUBLISHERS, Publisher, publisher


@dataclass(frozen=True)
class Snapshot:
    publisher: str
    files: tuple[SourceFile, ...]
    """Files the loader reads: archives of the publisher's kind, or its loose data files."""
    unknown: tuple[str, ...]
    """Files of no kind the publisher knows: reported and skipped."""
    waiting: tuple[str, ...]
    """Downloads still being written (`*.part`, …): read once they have their final name."""

    @property
    def fingerprints(self) -> dict[str, str]:
        """Size and modification time of each file, by its path in the folder."""
        return {f.rel: f.fingerprint for f in self.files}


def snapshot(layout: Layout, name: str) -> Snapshot:
    """What is in `raw-download/<name>/` now."""
    described = publisher(name)
    found, waiting = scan(layout.raw_download(name))
    files = tuple(f for f in found if _is_loadable(f, described))
    unknown = tuple(f.rel for f in found if f not in files)
    return Snapshot(name, files, unknown, tuple(waiting))


def stray_files(layout: Layout) -> list[str]:
    """Files in the landing zone outside a publisher's folder: loose in `raw-download/` or in a
    folder that is not a publisher. Nothing reads them; they are reported."""
    root = layout.raw_download_root
    if not root.is_dir():
        return []
    stray = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or is_junk(rel):
            continue
        folder, _, inside = rel.partition("/")
        if folder not in PUBLISHERS or not inside:
            stray.append(rel)
    return stray


def _is_loadable(source: SourceFile, described: Publisher) -> bool:
    """A zip counts when a member is of the publisher's kind (an unreadable zip counts too: the
    load reports it); another archive when it is of a kind the publisher ships; a loose file
    when it is one of the publisher's data files."""
    name = source.rel.lower()
    if name.endswith(".zip") and ".zip" in described.archive_suffixes:
        try:
            names = zip_names(source)
        except zipfile.BadZipFile:
            return True
        return any(described.classify(probe(source, member)) is not None for member in names)
    if source.is_archive:
        return name.endswith(described.archive_suffixes)
    return described.classify(probe(source, source.rel)) is not None


def probe(source: SourceFile, name: str) -> Member:
    """A member to classify by name only: it is never opened."""
    return Member(source, name, lambda: nullcontext(None))  # type: ignore[arg-type, return-value]
