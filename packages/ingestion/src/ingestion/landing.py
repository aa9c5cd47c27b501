"""The files in a publisher's landing folder and the members inside its archives.

Archives are read in place (zip members opened directly, tar.gz streamed and inflated by ISA-L in
a background thread); loose files extracted from them are read the same way. macOS
and download junk is ignored by name. Every member is checked before it is read
(`ingestion.archive_rules`) and read through a guarded stream (`ingestion.guarded`): an empty,
damaged, hostile or changing file is refused with its name, never half read.
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

from ingestion.archive_rules import check_ratio, check_tar_entry, check_zip
from ingestion.guarded import ArchiveError, Guarded, Reading, open_member

ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz", ".tar")
IN_PROGRESS_SUFFIXES = (".part", ".crdownload", ".tmp", ".download")
JUNK_NAMES = {".DS_Store", "__placeholder__", "Thumbs.db", ".gitkeep"}
GZIP_MAGIC = b"\x1f\x8b"
READ_BYTES = 4 << 20
TAR_READ_BYTES = 1 << 20


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
    inode: int = 0
    """0 when unknown; otherwise a read checks the file on disk is still this one."""

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
        files.append(SourceFile(path, rel, stat.st_size, stat.st_mtime_ns, stat.st_ino))
    return files, waiting


def zip_names(source: SourceFile) -> list[str]:
    with zipfile.ZipFile(source.path) as archive:
        return [
            i.filename for i in archive.infolist() if not i.is_dir() and not is_junk(i.filename)
        ]


def iter_members(source: SourceFile) -> Generator[Member, None, None]:
    """Members of an archive in archive order (tar is streamed, so read each before the next).
    The file is refused when empty, damaged, hostile or changed before the read has ended."""
    if source.size == 0:
        raise ArchiveError(source.rel, None, None, "the file is empty (0 bytes): download it again")
    name = source.rel.lower()
    if name.endswith(".zip"):
        kind = "zip"
    elif name.endswith((".tar.gz", ".tgz", ".tar")):
        kind = "tar"
    else:
        kind = "file"
    reading = Reading(source, kind)
    try:
        if kind == "zip":
            yield from _zip_members(reading)
        elif kind == "tar":
            yield from _tar_members(reading)
        else:
            yield Member(source, source.rel, _loose_opener(reading))
        reading.verify()
    finally:
        reading.close()


def _zip_members(reading: Reading) -> Iterator[Member]:
    """The central directory is checked whole before the first member is opened."""
    source = reading.source
    try:
        archive = zipfile.ZipFile(reading.file)
    except zipfile.BadZipFile as error:
        if reading.changed():
            raise reading.damaged(error) from error
        raise ArchiveError(
            source.rel,
            None,
            None,
            "not a readable zip (no central directory: truncated or damaged): download it again",
        ) from error
    with archive:
        check_zip(source.rel, archive, source.size)
        for info in archive.infolist():
            if info.is_dir() or is_junk(info.filename):
                continue
            yield Member(source, info.filename, _zip_opener(reading, archive, info))


def _tar_members(reading: Reading) -> Iterator[Member]:
    """gzip (the common case, and the slow one) is inflated by ISA-L in a background thread,
    ahead of the member being parsed, its ratio held as it inflates; anything else must be a
    plain tar. Either way the archive is read once, front to back."""
    gzipped = reading.file.read(2) == GZIP_MAGIC
    reading.file.seek(0)
    if not gzipped:
        reading.kind = "tar"
        with _tar_stream(reading, Guarded(reading.file, reading)) as archive:
            yield from _regular_members(reading, archive, None)
        return
    reading.kind = "gzip"
    with igzip_threaded.open(reading.file, "rb", threads=1) as inflating:
        stream = Guarded(inflating, reading, bound=_ratio_bound(reading))
        with _tar_stream(reading, stream) as archive:
            yield from _regular_members(reading, archive, stream)
            # the rest (padding after the tar's end marker) and the gzip trailer: a truncated
            # or corrupt file is an error even when the tar looks whole
            reading.member = None
            while stream.read(READ_BYTES):
                pass


def _tar_stream(reading: Reading, stream: IO[bytes]) -> tarfile.TarFile:
    try:
        # tarfile reads its stream `bufsize` bytes at a time (10 KiB unless told)
        return tarfile.open(fileobj=stream, mode="r|", bufsize=TAR_READ_BYTES)
    except tarfile.ReadError as error:
        what = "the gzip stream holds no" if reading.kind == "gzip" else "neither gzip nor a"
        raise ArchiveError(
            reading.source.rel, None, None, f"{what} tar archive ({error}): download it again"
        ) from error


def _ratio_bound(reading: Reading) -> Callable[[int], None]:
    def bound(inflated: int) -> None:
        check_ratio(reading.source.rel, reading.member, inflated, reading.compressed_offset())

    return bound


def _regular_members(
    reading: Reading, archive: tarfile.TarFile, inflated: IO[bytes] | None
) -> Iterator[Member]:
    """Each header is checked before its data is read: a link, a device or a path that leaves
    the archive refuses the archive."""
    entries = iter(archive)
    while True:
        try:
            entry = next(entries)
        except StopIteration:
            return
        except tarfile.TarError as error:
            raise reading.damaged(error) from error
        check_tar_entry(reading.source.rel, entry)
        if not entry.isfile() or is_junk(entry.name):
            continue
        stream = archive.extractfile(entry)
        if stream is not None:
            reading.member = entry.name
            yield Member(
                reading.source, entry.name, _tar_opener(reading, entry.name, stream, inflated)
            )


def _zip_opener(
    reading: Reading, archive: zipfile.ZipFile, info: zipfile.ZipInfo
) -> Callable[[], AbstractContextManager[IO[bytes]]]:
    # a member's CRC is checked when it has been read to its end
    return lambda: open_member(lambda: archive.open(info), reading, info.filename, _itself)


def _tar_opener(
    reading: Reading, name: str, stream: IO[bytes], inflated: IO[bytes] | None
) -> Callable[[], AbstractContextManager[IO[bytes]]]:
    # the gzip CRC covers the whole stream: the rest of it is read to check it
    rest = None if inflated is None else (lambda _: inflated)
    return lambda: open_member(lambda: stream, reading, name, rest)


def _loose_opener(reading: Reading) -> Callable[[], AbstractContextManager[IO[bytes]]]:
    def opened() -> IO[bytes]:
        reading.file.seek(0)
        return reading.file

    return lambda: open_member(opened, reading, reading.source.rel, None)


def _itself(stream: IO[bytes]) -> IO[bytes]:
    return stream
