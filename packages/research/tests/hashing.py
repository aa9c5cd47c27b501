"""The benchmark's hashes (`macros/benchmark_hashing.sql`) in Python, to re-derive from their
definition what the SQL chose."""

from __future__ import annotations

import hashlib

MASK = 0xFFFFFFFF
GOLDEN = 0x9E3779B9


def md5_32(text: str) -> int:
    """The low 32 bits of DuckDB's md5_number_lower: digest bytes 8..11, little-endian."""
    return int.from_bytes(hashlib.md5(text.encode()).digest()[8:12], "little")


def fmix32(x: int) -> int:
    x &= MASK
    x ^= x >> 16
    x = (x * 0x85EBCA6B) & MASK
    x ^= x >> 13
    x = (x * 0xC2B2AE35) & MASK
    return x ^ (x >> 16)


def mix32(h: int, x: int) -> int:
    return fmix32(h ^ x)


def dataset_hash(publisher: str, dataset: str, seed: int) -> int:
    return mix32(md5_32(f"{publisher}:{dataset}"), seed & MASK)


def impression_hash(dataset_hash_: int, impression_id: int) -> int:
    return mix32(mix32(dataset_hash_, impression_id >> 32), impression_id & MASK)
