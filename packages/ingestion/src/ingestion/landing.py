"""The files in a publisher's landing folder and the members inside its archives.

Archives are read in place (zip members opened directly, tar.gz streamed and inflated by ISA-L in
a background thread); loose files extracted from them are read the same way. macOS
and download junk is ignored by name.
"""

from __future__ import annotations

import tarfile
import zipfile
from collections.abc import Callable, Generator, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from isal import igzip_threaded

ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz", ".tar")
IN_PROGRESS_SUFFIXES = (".part", ".crdownload", ".tmp", ".download")
JUNK_NAMES = {".DS_Store", "__placeholder__", "Thumbs.db", ".gitkeep"}
GZIP_MAGIC = b"\x1f\x8b"
READ_BYTES = 4 << 20


def is_junk(path: str) -> bool:
    """macOS resource forks, Finder files and empty placeholders shipped in the real archives."""
    parts = PurePosixPath(path).parts
    if not parts:
        return True
    return "__MACOSX" in parts or parts[-1] in JUNK_NAMES or parts[-1].startswith("._")


def is_archive(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def is_in_progress(name: str) -> bool:
    """A download that is still being written; it is read once it has its final name."""
    return name.lower().endswith(IN_PROGRESS_SUFFIXES)


@dataclass(frozen=True)
class SourceFile:
    """One file on disk in `raw-download/<publisher>/`: the unit of change detection."""

    path: Path
    rel: str
    size: int
    mtime_ns: int

    @property
    def fingerprint(self) -> str:
        return f"{self.size}:{self.mtime_ns}"

    @property
    def is_archive(self) -> bool:
        return is_archive(self.rel)


@dataclass(frozen=True)
class Origin:
    """Where a member's rows come from: file on disk, member in the archive, release and split."""

    source_file: str
    member: str
    dataset: str
    split: str | None


@dataclass(frozen=True)
class Member:
    """A readable data file: a member of an archive, or a loose file (then `name == source.rel`)."""

    source: SourceFile
    name: str
    opener: Callable[[], AbstractContextManager[IO[bytes]]]

    @property
    def parts(self) -> tuple[str, ...]:
        """Path components of the source file and the member, for inferring release and split."""
        rel = PurePosixPath(self.source.rel).parts
        if self.name == self.source.rel:
            return rel
        return (*rel, *PurePosixPath(self.name).parts)

    @property
    def basename(self) -> str:
        return PurePosixPath(self.name).name

    def open(self) -> AbstractContextManager[IO[bytes]]:
        return self.opener()


def scan(folder: Path) -> tuple[list[SourceFile], list[str]]:
    """All candidate files below `folder`, and the in-progress downloads that were left alone."""
    files: list[SourceFile] = []
    waiting: list[str] = []
    if not folder.is_dir():
        return files, waiting
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if is_junk(rel):
            continue
        if is_in_progress(rel):
            waiting.append(rel)
            continue
        stat = path.stat()
        files.append(SourceFile(path, rel, stat.st_size, stat.st_mtime_ns))
    return files, waiting


def zip_names(source: SourceFile) -> list[str]:
    with zipfile.ZipFile(source.path) as archive:
        return [
            i.filename for i in archive.infolist() if not i.is_dir() and not is_junk(i.filename)
        ]


def iter_members(source: SourceFile) -> Generator[Member, None, None]:
    """Members of an archive in archive order (tar is streamed, so read each before the next)."""
    name = source.rel.lower()
    if name.endswith(".zip"):
        with zipfile.ZipFile(source.path) as archive:
            for info in archive.infolist():
                if info.is_dir() or is_junk(info.filename):
                    continue
                yield Member(source, info.filename, _zip_opener(archive, info))
    elif name.endswith((".tar.gz", ".tgz", ".tar")):
        yield from _tar_members(source)
    else:
        yield Member(source, source.rel, lambda: open(source.path, "rb"))  # noqa: SIM115


def _tar_members(source: SourceFile) -> Iterator[Member]:
    """gzip (the common case, and the slow one) is inflated by ISA-L in a background thread,
    ahead of the member being parsed; anything else goes through tarfile's own stream, which
    detects the compression. Either way the archive is read once, front to back."""
    with source.path.open("rb") as file:
        gzipped = file.read(2) == GZIP_MAGIC
    if not gzipped:
        with tarfile.open(source.path, mode="r|*") as archive:
            yield from _regular_members(source, archive)
        return
    with (
        igzip_threaded.open(source.path, "rb", threads=1) as stream,
        tarfile.open(fileobj=stream, mode="r|") as archive,
    ):
        yield from _regular_members(source, archive)
        # the rest (padding after the tar's end marker) and the gzip trailer: a truncated or
        # corrupt file is an error even when the tar looks whole
        while stream.read(READ_BYTES):
            pass


def _regular_members(source: SourceFile, archive: tarfile.TarFile) -> Iterator[Member]:
    for entry in archive:
        if not entry.isfile() or is_junk(entry.name):
            continue
        stream = archive.extractfile(entry)
        if stream is not None:
            yield Member(source, entry.name, _stream_opener(stream))


def _zip_opener(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo
) -> Callable[[], AbstractContextManager[IO[bytes]]]:
    return lambda: archive.open(info)


def _stream_opener(stream: IO[bytes]) -> Callable[[], AbstractContextManager[IO[bytes]]]:
    return lambda: stream
