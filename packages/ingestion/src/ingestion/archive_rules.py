"""What an archive member may be: a regular file, named inside the archive, of a bounded size
that inflates by a bounded ratio. Checked from the zip central directory or the tar header, before
a byte of the member is inflated; the ratio of a gzip stream is held while it inflates."""

from __future__ import annotations

import stat
import tarfile
import zipfile
from pathlib import PurePosixPath

from ingestion.guarded import ArchiveError

MAX_MEMBER_BYTES = 8 << 30
"""One member, inflated: 2.4 times the largest real one (EB-NeRD large's history, ~3.3 GB)."""
MAX_RATIO = 100
"""Inflated over compressed bytes: real members reach ~10 (Adressa's JSON), deflate bombs ~1,000."""
RATIO_FLOOR_BYTES = 64 << 20
"""The ratio is held against a member (or a gzip stream) only past this size: small is harmless."""

_ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_TAR_KINDS = {
    tarfile.SYMTYPE: "a symbolic link",
    tarfile.LNKTYPE: "a hard link",
    tarfile.CHRTYPE: "a character device",
    tarfile.BLKTYPE: "a block device",
    tarfile.FIFOTYPE: "a named pipe (fifo)",
}
_MODE_KINDS = {
    stat.S_IFLNK: "a symbolic link",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFIFO: "a named pipe (fifo)",
    stat.S_IFSOCK: "a socket",
}


def check_name(file: str, name: str) -> None:
    """A member must stay inside the archive: no absolute path, no drive, no `..` component."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or (parts and parts[0].endswith(":")):
        raise ArchiveError(file, name, None, "the member's path is absolute: refused")
    if ".." in parts:
        raise ArchiveError(file, name, None, "the member's path leaves the archive ('..'): refused")


def check_size(file: str, name: str, size: int) -> None:
    if size > MAX_MEMBER_BYTES:
        raise ArchiveError(
            file,
            name,
            None,
            f"the member is {_size(size)}, over the {_size(MAX_MEMBER_BYTES)} limit for one "
            "member: refused",
        )


def check_ratio(file: str, name: str | None, inflated: int, compressed: int) -> None:
    """Refuse what inflates to more than MAX_RATIO times its compressed size (past the floor)."""
    if inflated > RATIO_FLOOR_BYTES and inflated > MAX_RATIO * max(compressed, 1):
        raise ArchiveError(
            file,
            name,
            None,
            f"{_size(compressed)} inflate to {_size(inflated)} or more, over {MAX_RATIO} times as "
            "much (a decompression bomb, not a release): refused",
        )


def check_zip(file: str, archive: zipfile.ZipFile, archive_bytes: int) -> None:
    """Every entry of the central directory, before any member is read; the sizes there bound
    what zipfile inflates (it stops at the declared size and checks the CRC)."""
    total = 0
    for info in archive.infolist():
        check_name(file, info.filename)
        if info.is_dir():
            continue
        mode = info.external_attr >> 16 if info.create_system == 3 else 0
        kind = _MODE_KINDS.get(stat.S_IFMT(mode))
        if kind is not None:
            raise ArchiveError(file, info.filename, None, f"the member is {kind}: refused")
        if info.flag_bits & 0x1:
            raise ArchiveError(file, info.filename, None, "the member is encrypted: refused")
        if info.compress_type not in _ZIP_METHODS:
            raise ArchiveError(
                file,
                info.filename,
                None,
                f"compressed with zip method {info.compress_type}, which cannot be read: "
                "re-pack it with deflate",
            )
        check_size(file, info.filename, info.file_size)
        check_ratio(file, info.filename, info.file_size, info.compress_size)
        total += info.file_size
    # members whose data overlap inflate the same bytes many times over: the sum gives it away
    check_ratio(file, None, total, archive_bytes)


def check_tar_entry(file: str, entry: tarfile.TarInfo) -> None:
    """A tar header, before its data is read: only regular files and folders are read."""
    check_name(file, entry.name)
    kind = _TAR_KINDS.get(entry.type)
    if kind is not None:
        target = f" to {entry.linkname!r}" if entry.issym() or entry.islnk() else ""
        raise ArchiveError(file, entry.name, None, f"the member is {kind}{target}: refused")
    if not (entry.isfile() or entry.isdir()):
        raise ArchiveError(
            file, entry.name, None, f"the member is of tar type {entry.type!r}: refused"
        )
    check_size(file, entry.name, entry.size)


def _size(n: int) -> str:
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if n >= 1 << shift:
            return f"{n / (1 << shift):.1f} {unit}"
    return f"{n} bytes"
