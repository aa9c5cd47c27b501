"""Adressa: one JSON event per line in daily files. Blocks of lines are parsed by pyarrow with an
explicit schema. A block that fails, or whose row count is not its line count (a blank line, two
objects on one line), is cut into parts that are parsed again, down to a few lines that are checked
one by one: only the bad lines are skipped and counted (the real files hold the odd truncated
line), and the rest of the block still goes through pyarrow. Too many bad lines fail the member,
and so does a line too long to be an event."""

from __future__ import annotations

import io
import json
from bisect import insort
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pajson

from ingestion.errors import BadInputError
from ingestion.landing import Origin
from ingestion.readers.provenance import BATCH_ROWS, consecutive, with_provenance

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
BLOCK_BYTES = 8 << 20
READ_BYTES = 4 << 20
MAX_LINE_BYTES = 64 << 20
"""A real event is a few KiB: a line this long is not JSON lines, and would be held in memory."""
SPLIT_PARTS = 8
FEW_LINES = 64

Parsed = tuple[pa.Table, pa.Array]
"""Events and the line number of each."""


@dataclass
class BadLines:
    """Lines skipped in one member: how many, and the first few line numbers for the report."""

    count: int = 0
    lines: list[int] = field(default_factory=list)
    total: int = 0

    def add(self, line: int) -> None:
        """Lines come in as found, not in order (an incomplete event is seen after its
        block parsed): the ten lowest are kept."""
        self.count += 1
        insort(self.lines, line)
        del self.lines[10:]


def read_events(stream: io.BufferedIOBase, origin: Origin, bad: BadLines) -> Iterator[pa.Table]:
    """Yield event tables of at least BATCH_ROWS rows; raise if more than 0.1% of the member's
    lines are bad."""
    first_line = 1
    pending: list[pa.Table] = []
    rows = 0
    for block, line_count in _line_blocks(stream, origin):
        for events, numbers in _parse_span(
            block, 0, len(block), first_line, line_count, origin, bad
        ):
            kept, kept_numbers = _drop_incomplete(events, numbers, bad)
            if kept.num_rows:
                pending.append(with_provenance(kept, origin, kept_numbers))
                rows += kept.num_rows
        first_line += line_count
        bad.total += line_count
        if rows >= BATCH_ROWS:
            yield pa.concat_tables(pending)
            pending, rows = [], 0
    if pending:
        yield pa.concat_tables(pending)
    if bad.total and bad.count / bad.total > MAX_BAD_FRACTION:
        raise BadInputError(
            origin.source_file,
            origin.member,
            bad.lines[0],
            f"{bad.count} of {bad.total} lines are not valid events "
            f"(more than {MAX_BAD_FRACTION:.1%}); first bad lines: {bad.lines}",
        )


def _line_blocks(stream: io.BufferedIOBase, origin: Origin) -> Iterator[tuple[bytes, int]]:
    """Blocks of whole lines, each ending in a newline, joined once from the chunks read, and
    the number of lines in each."""
    pieces: list[bytes | memoryview] = []
    size = 0
    tail = 0  # bytes since the last newline read
    lines = 0  # in the blocks yielded so far
    while chunk := stream.read1(READ_BYTES):
        size += len(chunk)
        newline = chunk.rfind(b"\n")
        tail = len(chunk) - newline - 1 if newline >= 0 else tail + len(chunk)
        if tail > MAX_LINE_BYTES:
            pending = sum(bytes(p).count(b"\n") for p in pieces) + chunk.count(b"\n")
            raise BadInputError(
                origin.source_file,
                origin.member,
                lines + pending + 1,
                f"no line break within {MAX_LINE_BYTES / (1 << 20):g} MiB: "
                "a line this long is not an event",
            )
        if size >= BLOCK_BYTES and (cut := newline + 1):
            pieces.append(memoryview(chunk)[:cut])
            block = b"".join(pieces)
            count = block.count(b"\n")
            lines += count
            yield block, count
            pieces = [memoryview(chunk)[cut:]]
            size = len(chunk) - cut
        else:
            pieces.append(chunk)
    rest = b"".join(pieces)
    end = rest.rfind(b"\n") + 1
    if rest[end:].strip():
        yield rest + b"\n", rest.count(b"\n") + 1
    elif end:
        yield rest[:end], rest.count(b"\n", 0, end)


def _parse_span(
    block: bytes,
    start: int,
    end: int,
    first_line: int,
    line_count: int,
    origin: Origin,
    bad: BadLines,
) -> list[Parsed]:
    """The lines in `block[start:end]`: at once if pyarrow reads them as one event per line,
    else part by part."""
    try:
        events = _read(pa.py_buffer(block).slice(start, end - start))
    except pa.ArrowInvalid:
        events = None
    if events is not None and events.num_rows == line_count:
        return [(events, consecutive(first_line, line_count))]
    cuts = _cuts(block, start, end)
    if line_count <= FEW_LINES or len(cuts) < 3:
        return [_parse_lines(block[start:end], first_line, origin, bad)]
    parsed: list[Parsed] = []
    for part_start, part_end in pairwise(cuts):
        part_lines = block.count(b"\n", part_start, part_end)
        parsed += _parse_span(block, part_start, part_end, first_line, part_lines, origin, bad)
        first_line += part_lines
    return parsed


def _cuts(block: bytes, start: int, end: int) -> list[int]:
    """Line boundaries that cut `block[start:end]` into about SPLIT_PARTS parts of equal size."""
    cuts = [start]
    for part in range(1, SPLIT_PARTS):
        cut = block.find(b"\n", start + (end - start) * part // SPLIT_PARTS, end) + 1
        if cuts[-1] < cut < end:
            cuts.append(cut)
    return [*cuts, end]


def _parse_lines(span: bytes, first_line: int, origin: Origin, bad: BadLines) -> Parsed:
    """A few lines, one by one: keep the JSON objects, count the rest, skip blank lines."""
    good: list[bytes] = []
    numbers: list[int] = []
    for offset, line in enumerate(span.split(b"\n")[:-1]):
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
        events = _read(pa.py_buffer(b"\n".join(good) + b"\n"))
    except pa.ArrowInvalid as error:
        culprit = next(
            (n for line, n in zip(good, numbers, strict=True) if not _readable(line)), None
        )
        raise BadInputError(
            origin.source_file,
            origin.member,
            culprit or numbers[0],
            f"event does not match the Adressa event schema: {error}",
        ) from error
    return events, pa.array(numbers, pa.int64())


def _readable(line: bytes) -> bool:
    try:
        _read(pa.py_buffer(line))
    except pa.ArrowInvalid:
        return False
    return True


def _drop_incomplete(table: pa.Table, numbers: pa.Array, bad: BadLines) -> Parsed:
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


def _read(data: pa.Buffer) -> pa.Table:
    return pajson.read_json(
        pa.BufferReader(data),
        read_options=pajson.ReadOptions(block_size=4 << 20),
        parse_options=pajson.ParseOptions(
            explicit_schema=EVENT_SCHEMA, unexpected_field_behavior="ignore"
        ),
    )
