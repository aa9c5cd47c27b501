"""Adressa: one JSON event per line in daily files. Blocks of lines are parsed by pyarrow with an
explicit schema; only a block that fails is re-read line by line to find, skip and count the bad
lines (the real files hold the odd truncated line). Too many bad lines fail the member."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pajson

from ingestion.errors import BadInputError
from ingestion.readers.provenance import Origin, consecutive, with_provenance

_GROUP = pa.struct([("count", pa.int64()), ("group", pa.string()), ("weight", pa.float64())])
_PROFILE = pa.struct([("item", pa.string()), ("groups", pa.list_(_GROUP))])

EVENT_SCHEMA = pa.schema(
    [
        ("eventId", pa.int64()),
        ("time", pa.int64()),
        ("userId", pa.string()),
        ("url", pa.string()),
        ("sessionStart", pa.bool_()),
        ("sessionStop", pa.bool_()),
        ("deviceType", pa.string()),
        ("os", pa.string()),
        ("country", pa.string()),
        ("region", pa.string()),
        ("city", pa.string()),
        ("activeTime", pa.int64()),
        ("referrerHostClass", pa.string()),
        ("referrerUrl", pa.string()),
        ("referrerSearchEngine", pa.string()),
        ("referrerSocialNetwork", pa.string()),
        ("id", pa.string()),
        ("title", pa.string()),
        ("canonicalUrl", pa.string()),
        ("publishtime", pa.string()),
        ("category1", pa.string()),
        ("keywords", pa.string()),
        ("author", pa.list_(pa.string())),
        ("profile", pa.list_(_PROFILE)),
    ]
)
REQUIRED = ("eventId", "time", "userId", "url")
MAX_BAD_FRACTION = 0.001
BLOCK_BYTES = 32 << 20


@dataclass
class BadLines:
    """Lines skipped in one member: how many, and the first few line numbers for the report."""

    count: int = 0
    lines: list[int] = field(default_factory=list)
    total: int = 0

    def add(self, line: int) -> None:
        self.count += 1
        if len(self.lines) < 10:
            self.lines.append(line)


def read_events(stream: IO[bytes], origin: Origin, bad: BadLines) -> Iterator[pa.Table]:
    """Yield event tables; raise if more than 0.1% of the member's lines are bad."""
    first_line = 1
    for block in _line_blocks(stream):
        line_count = block.count(b"\n")
        table, kept = _parse_block(block, first_line, origin, bad)
        if table.num_rows:
            yield with_provenance(table, origin, kept)
        first_line += line_count
        bad.total += line_count
    if bad.total and bad.count / bad.total > MAX_BAD_FRACTION:
        raise BadInputError(
            origin.source_file,
            origin.member,
            bad.lines[0],
            f"{bad.count} of {bad.total} lines are not valid events "
            f"(more than {MAX_BAD_FRACTION:.1%}); first bad lines: {bad.lines}",
        )


def _line_blocks(stream: IO[bytes]) -> Iterator[bytes]:
    """Blocks of whole lines, each ending in a newline."""
    rest = b""
    while chunk := stream.read(BLOCK_BYTES):
        data = rest + chunk
        cut = data.rfind(b"\n") + 1
        if cut:
            yield data[:cut]
            rest = data[cut:]
        else:
            rest = data
    if rest.strip():
        yield rest + b"\n"


def _parse_block(
    block: bytes, first_line: int, origin: Origin, bad: BadLines
) -> tuple[pa.Table, pa.Array]:
    """Fast path: the whole block at once. Returns the table and the line number of each row."""
    if b"\n\n" not in block and not block.startswith(b"\n"):
        try:
            table = _read(block)
        except pa.ArrowInvalid:
            pass
        else:
            numbers = consecutive(first_line, table.num_rows)
            return _drop_incomplete(table, numbers, bad)
    return _parse_lines(block, first_line, origin, bad)


def _parse_lines(
    block: bytes, first_line: int, origin: Origin, bad: BadLines
) -> tuple[pa.Table, pa.Array]:
    """Slow path for a block that failed: keep the lines that are JSON objects, count the rest."""
    good: list[bytes] = []
    numbers: list[int] = []
    for offset, line in enumerate(block.split(b"\n")[:-1]):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except ValueError:
            bad.add(first_line + offset)
            continue
        if not isinstance(event, dict):
            bad.add(first_line + offset)
            continue
        good.append(line)
        numbers.append(first_line + offset)
    if not good:
        return EVENT_SCHEMA.empty_table(), pa.array([], pa.int64())
    try:
        table = _read(b"\n".join(good) + b"\n")
    except pa.ArrowInvalid as error:
        last_line = first_line + block.count(b"\n") - 1
        raise BadInputError(
            origin.source_file,
            origin.member,
            first_line,
            f"events in lines {first_line}-{last_line} do not match "
            f"the Adressa event schema: {error}",
        ) from error
    return _drop_incomplete(table, pa.array(numbers, pa.int64()), bad)


def _drop_incomplete(
    table: pa.Table, numbers: pa.Array, bad: BadLines
) -> tuple[pa.Table, pa.Array]:
    """Events without eventId, time, userId or url are not events: count and skip them."""
    complete = pc.and_kleene(
        pc.and_kleene(pc.is_valid(table["eventId"]), pc.is_valid(table["time"])),
        pc.and_kleene(pc.is_valid(table["userId"]), pc.is_valid(table["url"])),
    )
    if pc.all(complete).as_py():
        return table, numbers
    for line in pc.filter(numbers, pc.invert(complete)).to_pylist():
        bad.add(line)
    return table.filter(complete), pc.filter(numbers, complete)


def _read(data: bytes) -> pa.Table:
    return pajson.read_json(
        io.BytesIO(data),
        read_options=pajson.ReadOptions(block_size=4 << 20),
        parse_options=pajson.ParseOptions(
            explicit_schema=EVENT_SCHEMA, unexpected_field_behavior="ignore"
        ),
    )
