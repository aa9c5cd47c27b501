"""A file's identity is its content: its size and an xxh3-128 hash of every byte.

xxh3-128 streams at several GB/s on one core (measured on a 3 GiB archive: 0.52 CPU-s, of which
0.36 is reading it; BLAKE2b took 3.2, SHA-256 2.2), so hashing a new download costs about what
reading it from the page cache does. It is not a cryptographic hash: it tells copies from
different files, which is what the loader needs; a file crafted to collide would have to be put in
the user's own landing folder. The hash of a file is computed once per path, size and mtime and
remembered in the inventory; the raw-download sensor never hashes.
"""

from __future__ import annotations

from pathlib import Path

import xxhash

HASH = "xxh3_128"
READ_BYTES = 1 << 20


def content_of(path: Path) -> str:
    """`xxh3_128:<size>:<hex digest>` of the file's bytes, streamed in 1 MiB reads."""
    digest = xxhash.xxh3_128()
    size = 0
    buffer = bytearray(READ_BYTES)
    view = memoryview(buffer)
    with path.open("rb", buffering=0) as file:
        while read := file.readinto(buffer):
            digest.update(view[:read])
            size += read
    return f"{HASH}:{size}:{digest.hexdigest()}"
