"""The names lake writes use until they are whole: hidden, beside the final name, matched by no
reader's glob (`*.parquet`, `*.jsonl`; Spark and Hadoop also skip names starting with `.`)."""

from __future__ import annotations

import os
import uuid

PREFIX = "."
SUFFIX = ".tmp"
GLOB = f"{PREFIX}*{SUFFIX}"


def temporary_name(final: str) -> str:
    """`.<name>.<random>.tmp` in the folder of `final`."""
    folder, name = os.path.split(final)
    return os.path.join(folder, f"{PREFIX}{name}.{uuid.uuid4().hex[:12]}{SUFFIX}")
