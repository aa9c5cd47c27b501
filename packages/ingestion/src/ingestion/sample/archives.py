"""Byte-reproducible zip and tar.gz writing.

Every member carries the sample's `end` as its modification time, so the same seed and end give
the same bytes. A tar.gz is a single gzip stream (the ingestion streams it with `tarfile` in
`r|*` mode, which does not read concatenated gzip members), yet its members are compressed in
parallel: each worker deflates its own stretch of the tar stream into a file and ends it with a
sync flush, and the raw deflate pieces are concatenated, as pigz does. The gzip trailer's CRC-32
is combined from the pieces' CRCs.
"""

from __future__ import annotations

import os
import shutil
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

LEVEL = 1
BLOCK = tarfile.BLOCKSIZE
RECORD = tarfile.RECORDSIZE
COPY_BUFFER = 8 << 20

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
class Deflated:
    """One stretch of a tar stream, deflated on its own and ended with a sync flush, in a file of
    its own (a worker writes it; `write_tar_gz` splices it in and removes it)."""

    path: Path
    crc: int
    length: int


def tar_header(name: str, size: int, mtime: datetime, directory: bool = False) -> bytes:
    info = tarfile.TarInfo(name)
    info.size = 0 if directory else size
    info.mtime = int(mtime.timestamp())
    info.mode = 0o755 if directory else 0o644
    info.type = tarfile.DIRTYPE if directory else tarfile.REGTYPE
    return info.tobuf(tarfile.GNU_FORMAT, "utf-8", "surrogateescape")


def deflate_tar_member(
    path: Path, name: str, data: Sequence[memoryview], mtime: datetime
) -> Deflated:
    """Header, data and padding of one regular tar member, deflated into `path`."""
    length = sum(len(view) for view in data)
    pieces = [tar_header(name, length, mtime), *data, bytes(-length % BLOCK)]
    with path.open("wb") as out:
        crc, length = deflate(out, pieces, final=False)
    return Deflated(path, crc, length)


def deflate(out: BinaryIO, pieces: Iterable[bytes | memoryview], final: bool) -> tuple[int, int]:
    """Raw-deflate `pieces` into `out`; return their CRC-32 and length."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    crc, length = 0, 0
    for piece in pieces:
        out.write(compressor.compress(piece))
        crc = zlib.crc32(piece, crc)
        length += len(piece)
    out.write(compressor.flush(zlib.Z_FINISH if final else zlib.Z_SYNC_FLUSH))
    return crc, length


def write_tar_gz(path: Path, folder: str, members: Sequence[Deflated], mtime: datetime) -> Path:
    """`folder/` then the pre-deflated members, the end-of-archive blocks, and the gzip trailer."""
    part = part_path(path)
    with part.open("wb") as out:
        out.write(_gzip_header(mtime))
        crc, length = deflate(
            out, [tar_header(f"{folder}/", 0, mtime, directory=True)], final=False
        )
        for member in members:
            with member.path.open("rb") as piece:
                shutil.copyfileobj(piece, out, COPY_BUFFER)
            member.path.unlink()
            crc = crc32_combine(crc, member.crc, member.length)
            length += member.length
        padding = 2 * BLOCK + (-(length + 2 * BLOCK) % RECORD)
        tail_crc, tail_length = deflate(out, [bytes(padding)], final=True)
        crc = crc32_combine(crc, tail_crc, tail_length)
        length += tail_length
        out.write(struct.pack("<II", crc, length & 0xFFFFFFFF))
    os.replace(part, path)
    return path


def _gzip_header(mtime: datetime) -> bytes:
    """Magic, deflate, no flags, the mtime, fastest-level hint, Unix."""
    return b"\x1f\x8b\x08\x00" + struct.pack("<I", int(mtime.timestamp())) + b"\x04\x03"


_CRC_POLY = 0xEDB88320


def _multmodp(a: int, b: int) -> int:
    """Multiply two polynomials modulo the CRC-32 polynomial (zlib's reflected form)."""
    m, product = 1 << 31, 0
    while True:
        if a & m:
            product ^= b
            if not a & (m - 1):
                return product
        m >>= 1
        b = (b >> 1) ^ _CRC_POLY if b & 1 else b >> 1


def _x2n_table() -> list[int]:
    table, p = [], 1 << 30
    for _ in range(32):
        table.append(p)
        p = _multmodp(p, p)
    return table


_X2N = _x2n_table()


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """CRC-32 of A + B from CRC(A), CRC(B) and len(B), as zlib's `crc32_combine`."""
    p, k = 1 << 31, 3
    while length2:
        if length2 & 1:
            p = _multmodp(_X2N[k & 31], p)
        length2 >>= 1
        k += 1
    return _multmodp(p, crc1) ^ crc2


def apple_double() -> bytes:
    """The AppleDouble resource-fork stub macOS leaves as `__MACOSX/…/._<name>` in zips."""
    header = b"\x00\x05\x16\x07\x00\x02\x00\x00" + b"Mac OS X        " + b"\x00\x02"
    entries = struct.pack(">III", 9, 50, 32) + struct.pack(">III", 2, 82, 138)
    body = b"\x00" * 32 + b"\x00\x00\x01\x00" + b"\x00" * 134
    return header + entries + body


def ds_store() -> bytes:
    """A Finder `.DS_Store`: its 'Bud1' buddy-allocator magic, padded to the usual 6,148 bytes."""
    return (b"\x00\x00\x00\x01Bud1" + b"\x00" * 8).ljust(6148, b"\x00")
