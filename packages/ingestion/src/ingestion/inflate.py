"""Forward-only streams over a gzip-compressed tar, inflated in a background thread.

The next chunk is inflated while the previous one is parsed, and chunks are handed over without
copying (tarfile's own stream re-joins and slices every read, which cost more than inflating).
Member data is read from the same stream, which tarfile then skips past, so the archive is read
once, front to back.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from pathlib import Path

from ingestion.ahead import read_ahead

GZIP_MAGIC = b"\x1f\x8b"
IN_BYTES = 256 << 10
OUT_BYTES = 4 << 20
AHEAD_CHUNKS = 4


class GzipReader(io.BufferedIOBase):
    """The inflated bytes of a gzip file, read from the start towards the end; `seek` only skips
    forward. A truncated or corrupt file raises `EOFError` or `zlib.error` from the read."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._chunks = read_ahead(_inflate(path), AHEAD_CHUNKS)
        self._chunk = b""
        self._offset = 0
        self._position = 0

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, position: int, whence: int = io.SEEK_SET) -> int:
        if whence != io.SEEK_SET or position < self._position:
            raise io.UnsupportedOperation("a gzip stream only seeks forward")
        while self._position < position and self.read1(position - self._position):
            pass
        return self._position

    def read1(self, size: int = -1) -> bytes:
        """Up to `size` bytes of the current chunk: the chunk itself when it is taken whole."""
        if self._offset == len(self._chunk):
            self._chunk, self._offset = next(self._chunks, b""), 0
        start = self._offset
        end = len(self._chunk) if size < 0 else min(len(self._chunk), start + size)
        self._offset = end
        self._position += end - start
        if start == 0 and end == len(self._chunk):
            return self._chunk
        return self._chunk[start:end]

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            return b"".join(iter(self.read1, b""))
        pieces = []
        while size > 0 and (piece := self.read1(size)):
            pieces.append(piece)
            size -= len(piece)
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)

    def check_end(self) -> None:
        """Inflate the rest (the padding after the tar's end marker), so that zlib checks the
        gzip trailer: a truncated or corrupt file is an error even when the tar looks whole."""
        while self.read1():
            pass

    def close(self) -> None:
        self._chunks.close()
        super().close()


class MemberStream(io.BufferedIOBase):
    """The `size` bytes of one tar member, read straight from the archive stream. Closing it
    leaves the archive open: tarfile skips whatever was not read."""

    def __init__(self, archive: GzipReader, size: int) -> None:
        super().__init__()
        self._archive = archive
        self._left = size

    def readable(self) -> bool:
        return True

    def read1(self, size: int = -1) -> bytes:
        wanted = self._left if size < 0 else min(size, self._left)
        data = self._archive.read1(wanted)
        if wanted and not data:
            raise EOFError("the archive ends inside a member: it is truncated")
        self._left -= len(data)
        return data

    def read(self, size: int | None = -1) -> bytes:
        wanted = self._left if size is None or size < 0 else min(size, self._left)
        pieces = []
        while wanted > 0:
            pieces.append(piece := self.read1(wanted))
            wanted -= len(piece)
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)


def _inflate(path: Path) -> Iterator[bytes]:
    """Chunks of at most OUT_BYTES (a run of zeros inflates a thousandfold)."""
    with path.open("rb", buffering=0) as file:
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        pending = b""
        while not inflater.eof:
            if not pending and not (pending := file.read(IN_BYTES)):
                raise EOFError("compressed file ended before the end-of-stream marker")
            out = inflater.decompress(pending, OUT_BYTES)
            pending = inflater.unconsumed_tail
            if out:
                yield out
