"""Reading a source file so that whatever goes wrong names the file, the member and the damage.

The file is opened once and checked against what the folder scan saw; it is checked again when
the read ends and whenever a read fails, so a file removed or replaced meanwhile is reported as
such. Errors of zip, gzip, zlib and tar become one-line `ArchiveError`s that say the download is
damaged. A reader's error inside an archive is first weighed against the archive itself: the rest
of the compressed stream is inflated to its checksum, and a damaged download is reported as one,
not as the bad rows it showed up as.
"""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import zipfile
import zlib
from collections.abc import Callable
from typing import IO, TYPE_CHECKING

from isal import isal_zlib

from ingestion.errors import BadInputError

if TYPE_CHECKING:
    from ingestion.landing import SourceFile

READ_BYTES = 4 << 20
_DAMAGE = (
    zipfile.BadZipFile,
    tarfile.TarError,
    zlib.error,
    isal_zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
)


class ArchiveError(BadInputError):
    """The file itself is unreadable, damaged, hostile or changed: not one bad row in it."""


class Reading:
    """One source file, open, and what the folder scan saw of it (size, mtime, inode)."""

    def __init__(self, source: SourceFile, kind: str) -> None:
        self.source = source
        self.kind = kind  # "zip", "gzip", "tar" or "file": how its damage is worded
        self.member: str | None = None  # the member being read, for errors below it
        try:
            self.file: IO[bytes] = source.path.open("rb")
        except FileNotFoundError:
            raise ArchiveError(
                source.rel,
                None,
                None,
                "the file was removed after the folder was scanned: run the load again",
            ) from None
        change = _difference(source, os.fstat(self.file.fileno()))
        if change:
            self.file.close()
            raise ArchiveError(
                source.rel, None, None, f"{change} after the folder was scanned: run the load again"
            )

    def close(self) -> None:
        self.file.close()

    def compressed_offset(self) -> int:
        """How far into the file its reader has got (the OS position: thread safe)."""
        return os.lseek(self.file.fileno(), 0, os.SEEK_CUR)

    def verify(self) -> None:
        """At the end of the read: the file on disk must still be the one that was read."""
        change = self.changed()
        if change:
            raise ArchiveError(
                self.source.rel,
                None,
                None,
                f"{change} while it was being read: nothing of it is loaded; run the load again",
            )

    def changed(self) -> str | None:
        return changed(self.source)

    def damaged(self, error: BaseException, member: str | None = None) -> ArchiveError:
        """The one-line error for a failed read: a changed file first, else the damage."""
        member = member if member is not None else self.member
        change = self.changed()
        if change:
            reason = f"{change} while it was being read: run the load again ({_short(error)})"
        else:
            reason = _damage(self.kind, error)
        return ArchiveError(self.source.rel, member, None, reason)


def changed(source: SourceFile) -> str | None:
    """How the file on disk differs from what the folder scan saw, or None."""
    try:
        now = os.stat(source.path)
    except FileNotFoundError:
        return "the file was removed"
    return _difference(source, now)


def _difference(seen: SourceFile, now: os.stat_result) -> str | None:
    if seen.inode and now.st_ino != seen.inode:
        return "the file was replaced by another"
    if now.st_size != seen.size:
        return f"the file changed size ({seen.size:,} → {now.st_size:,} bytes)"
    if now.st_mtime_ns != seen.mtime_ns:
        return "the file was modified"
    return None


class Guarded(io.BufferedIOBase):
    """A binary stream whose read errors become `ArchiveError`s naming the file and member; an
    optional `bound` sees the running count of bytes read (the gzip ratio check)."""

    def __init__(
        self,
        inner: IO[bytes],
        reading: Reading,
        member: str | None = None,
        bound: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__()
        self._inner = inner
        self._reading = reading
        self._member = member
        self._bound = bound
        self.count = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        return self._checked(self._inner.read, size)

    def read1(self, size: int = -1) -> bytes:
        read1 = getattr(self._inner, "read1", self._inner.read)
        return self._checked(read1, size)

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def _checked(self, read: Callable[[int], bytes], size: int | None) -> bytes:
        try:
            data = read(-1 if size is None else size)
        except BadInputError:
            raise
        except _DAMAGE as error:
            raise self._reading.damaged(error, self._member) from error
        self.count += len(data)
        if self._bound is not None:
            self._bound(self.count)
        return data


class MemberStream(Guarded):
    """A member's guarded stream, also its context. If reading it fails with anything but
    damage, `rest` (given this stream: the compressed stream the member is part of) is inflated
    to its checksum: damage found there is what gets reported, the reader's error being only
    how it first showed."""

    def __init__(
        self,
        inner: IO[bytes],
        reading: Reading,
        member: str,
        rest: Callable[[IO[bytes]], IO[bytes]] | None,
    ) -> None:
        super().__init__(inner, reading, member)
        self._rest = rest

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        try:
            if isinstance(error, Exception) and not isinstance(error, ArchiveError) and self._rest:
                damage = _check_rest(self._rest(self))
                if damage is not None:
                    raise ArchiveError(
                        damage.file,
                        damage.member,
                        None,
                        f"{damage.reason} (first seen as: {_short(error)})",
                    ) from error
        finally:
            self.close()

    def close(self) -> None:
        if self._inner is not self._reading.file:
            self._inner.close()
        super().close()


def open_member(
    open_inner: Callable[[], IO[bytes]],
    reading: Reading,
    member: str,
    rest: Callable[[IO[bytes]], IO[bytes]] | None,
) -> MemberStream:
    """Open a member; an archive that cannot even open it is damaged."""
    try:
        inner = open_inner()
    except BadInputError:
        raise
    except _DAMAGE as error:
        raise reading.damaged(error, member) from error
    return MemberStream(inner, reading, member, rest)


def _check_rest(stream: IO[bytes]) -> ArchiveError | None:
    try:
        while stream.read(READ_BYTES):
            pass
    except ArchiveError as damage:
        return damage
    return None


def _short(error: BaseException, limit: int = 160) -> str:
    """An error in a few words, without the file and member the message already names."""
    text = str(error)
    if isinstance(error, BadInputError):
        text = error.reason if error.line is None else f"line {error.line}: {error.reason}"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _damage(kind: str, error: BaseException) -> str:
    """What a low-level error means for the download, in one line that says what to do."""
    text = str(error) or type(error).__name__
    again = "download it again"
    if isinstance(error, gzip.BadGzipFile):
        if text.startswith("CRC check failed"):
            return f"the gzip stream is corrupt (CRC check failed): {again}"
        return f"the gzip stream is corrupt ({text}): {again}"
    if isinstance(error, EOFError):
        what = {"gzip": "the gzip stream", "zip": "the zip member"}.get(kind, "the file")
        return f"{what} is truncated ({text}): {again}"
    if isinstance(error, zipfile.BadZipFile):
        if text.startswith("Bad CRC-32"):
            return f"the zip is damaged (the member fails its CRC-32 check): {again}"
        return f"the zip is damaged ({text}): {again}"
    if isinstance(error, zlib.error | isal_zlib.error):
        return f"the compressed data is damaged ({text}): {again}"
    if isinstance(error, tarfile.TarError):
        if "unexpected end of data" in text:
            return f"the tar archive is truncated: {again}"
        return f"the tar archive is damaged ({text}): {again}"
    if isinstance(error, NotImplementedError | RuntimeError):
        return f"the member cannot be read ({text}): refused"
    return f"cannot read the file ({text})"
