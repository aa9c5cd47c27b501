"""Byte-reproducible zip and tar.gz writing.

Every member carries the sample's `end` as its modification time, so the same seed and end give
the same bytes.
"""

from __future__ import annotations

import os
import struct
import tarfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from isal import igzip_threaded

LEVEL = 1

Payload = bytes | Sequence[memoryview] | None


@dataclass(frozen=True)
class Member:
    """A file for an archive (`data is None`: a directory entry)."""

    name: str
    data: Payload

    @property
    def is_dir(self) -> bool:
        return self.data is None


def _bytes(data: Payload) -> bytes:
    if data is None:
        return b""
    if isinstance(data, bytes):
        return data
    return b"".join(data)


def part_path(path: Path) -> Path:
    """Write under a `.part` name first: the ingestion leaves in-progress downloads alone."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.with_name(path.name + ".part")


def write_zip(path: Path, members: Iterable[Member], mtime: datetime) -> Path:
    """A zip with deflated members, in the given order, all dated `mtime`."""
    part = part_path(path)
    stamp = mtime.timetuple()[:6]
    with zipfile.ZipFile(part, "w") as archive:
        for member in members:
            info = zipfile.ZipInfo(member.name, date_time=stamp)
            if member.is_dir:
                info.external_attr = (0o40755 << 16) | 0x10
                archive.writestr(info, b"")
                continue
            info.external_attr = 0o100644 << 16
            archive.writestr(
                info, _bytes(member.data), compress_type=zipfile.ZIP_DEFLATED, compresslevel=LEVEL
            )
    os.replace(part, path)
    return path


@dataclass(frozen=True)
class TarMember:
    """A regular member of a tar.gz, its bytes waiting in a file of their own (a worker writes
    it; `write_tar_gz` streams it in and removes it)."""

    name: str
    path: Path


def write_tar_gz(path: Path, folder: str, members: Sequence[TarMember], mtime: datetime) -> Path:
    """`folder/` then the members, as one gzip stream (the ingestion streams it with `tarfile`
    in `r|` mode, which does not read concatenated gzip members) compressed by ISA-L on every
    core: the bytes do not depend on the number of threads."""
    part = part_path(path)
    stamp = int(mtime.timestamp())
    with (
        igzip_threaded.open(part, "wb", compresslevel=LEVEL, threads=os.cpu_count() or 1) as out,
        tarfile.open(fileobj=out, mode="w|", format=tarfile.GNU_FORMAT) as archive,
    ):
        archive.addfile(_tar_info(f"{folder}/", 0, stamp, directory=True))
        for member in members:
            with member.path.open("rb") as data:
                archive.addfile(_tar_info(member.name, member.path.stat().st_size, stamp), data)
            member.path.unlink()
    os.replace(part, path)
    return path


def _tar_info(name: str, size: int, mtime: int, directory: bool = False) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = mtime
    info.mode = 0o755 if directory else 0o644
    info.type = tarfile.DIRTYPE if directory else tarfile.REGTYPE
    return info


def apple_double() -> bytes:
    """The AppleDouble resource-fork stub macOS leaves as `__MACOSX/…/._<name>` in zips."""
    header = b"\x00\x05\x16\x07\x00\x02\x00\x00" + b"Mac OS X        " + b"\x00\x02"
    entries = struct.pack(">III", 9, 50, 32) + struct.pack(">III", 2, 82, 138)
    body = b"\x00" * 32 + b"\x00\x00\x01\x00" + b"\x00" * 134
    return header + entries + body


def ds_store() -> bytes:
    """A Finder `.DS_Store`: its 'Bud1' buddy-allocator magic, padded to the usual 6,148 bytes."""
    return (b"\x00\x00\x00\x01Bud1" + b"\x00" * 8).ljust(6148, b"\x00")
