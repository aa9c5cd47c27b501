"""What a MIND row must hold, checked per batch by Arrow's kernels (RE2 regexes, strptime, UTF-8
validation): ids, times, impression tokens, text. Only a batch that fails is looked at row by row,
for its first bad line and what is wrong with it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from ingestion.errors import BadInputError
from ingestion.landing import Origin

_D31 = "(?:0?[1-9]|[12][0-9]|3[01])"
_D30 = "(?:0?[1-9]|[12][0-9]|30)"
_D29 = "(?:0?[1-9]|[12][0-9])"
TIME = (
    rf"^(?:(?:0?[13578]|1[02])/{_D31}|(?:0?[469]|11)/{_D30}|0?2/{_D29})/[0-9]{{4}} "
    r"(?:0?[1-9]|1[0-2]):[0-5][0-9]:[0-5][0-9] [AP]M$"
)
"""`%m/%d/%Y %I:%M:%S %p` as MIND writes it (no zero padding), each day within its month."""
TIME_FORMAT = "%m/%d/%Y %I:%M:%S %p"
LABELED = r"^N[0-9]+-[01]( N[0-9]+-[01])*$"
UNLABELED = r"^N[0-9]+(-[01])?( N[0-9]+(-[01])?)*$"
"""The test release shows bare ids; labelled ones are taken there too."""
_LABELED_TOKEN = re.compile(r"N[0-9]+-[01]")
_UNLABELED_TOKEN = re.compile(r"N[0-9]+(-[01])?")


@dataclass(frozen=True)
class Rule:
    column: str
    valid: Callable[[pa.Array, Origin], pa.Array]
    """A boolean per row: does the row's value hold?"""
    reason: Callable[[str, Origin], str]
    """Slow path: what is wrong with one value that does not."""


def check_utf8(batch: pa.RecordBatch, origin: Origin, first_line: int) -> None:
    """The reader passes bytes through unchecked; a batch that is not UTF-8 is searched."""
    try:
        batch.validate(full=True)
    except pa.ArrowInvalid:
        pass
    else:
        return
    for name, column in zip(batch.schema.names, batch.columns, strict=True):
        for index, value in enumerate(column.cast(pa.binary()).to_pylist()):
            try:
                value.decode("utf-8")
            except UnicodeDecodeError as error:
                around = value[max(0, error.start - 20) : error.end + 20]
                raise BadInputError(
                    origin.source_file,
                    origin.member,
                    first_line + index,
                    f"{name} holds bytes that are not UTF-8 ({around!r}): MIND files are UTF-8",
                ) from None
    raise BadInputError(origin.source_file, origin.member, first_line, "invalid text data")


def check_rows(
    batch: pa.RecordBatch, rules: tuple[Rule, ...], origin: Origin, first_line: int
) -> None:
    """Raise for the first line of the batch that breaks a rule."""
    first: tuple[int, Rule] | None = None
    for rule in rules:
        valid = rule.valid(batch.column(rule.column), origin)
        if pc.all(valid).as_py():
            continue
        index = pc.index(valid, False).as_py()
        if first is None or index < first[0]:
            first = (index, rule)
    if first is None:
        return
    index, rule = first
    row = [column[index].as_py() for column in batch.columns]
    if not any(row):
        reason = "an empty line: MIND files have none; remove it"
    elif all(row) and not any(c.isdigit() for value in row for c in value):
        reason = "a header row: MIND files have none; remove the line"
    else:
        reason = rule.reason(batch.column(rule.column)[index].as_py(), origin)
    raise BadInputError(origin.source_file, origin.member, first_line + index, reason)


def _matches(pattern: str) -> Callable[[pa.Array, Origin], pa.Array]:
    return lambda column, origin: pc.match_substring_regex(column, pattern)


def _valid_time(column: pa.Array, origin: Origin) -> pa.Array:
    """The shape, months' lengths included; a 29 February is parsed, to see its year is leap."""
    valid = pc.match_substring_regex(column, TIME)
    leap = pc.and_(valid, pc.match_substring_regex(column, "^0?2/29/"))
    if not pc.any(leap).as_py():
        return valid
    parsed = pc.strptime(column, format=TIME_FORMAT, unit="s", error_is_null=True)
    february = pc.fill_null(pc.equal(pc.month(parsed), 2), False)
    return pc.and_(valid, pc.or_(pc.invert(leap), february))


def _valid_impressions(column: pa.Array, origin: Origin) -> pa.Array:
    return pc.match_substring_regex(column, UNLABELED if origin.split == "test" else LABELED)


def _impressions_reason(value: str, origin: Origin) -> str:
    test = origin.split == "test"
    token_rule = _UNLABELED_TOKEN if test else _LABELED_TOKEN
    bad = next((t for t in value.split(" ") if not token_rule.fullmatch(t)), value)
    expected = "N<id>-1, N<id>-0 or a bare N<id>" if test else "N<id>-1 or N<id>-0"
    return f"impression token {bad!r} is not {expected} (tokens are separated by one space)"


BEHAVIORS = (
    Rule(
        "impression_id",
        _matches("^[0-9]+$"),
        lambda value, _: f"impression_id {value!r} is not a number",
    ),
    Rule(
        "time",
        _valid_time,
        lambda value, _: (
            f"time {value!r} is not a date and time as MIND writes them "
            "(M/D/YYYY h:MM:SS AM or PM, e.g. 11/9/2019 6:11:24 AM)"
        ),
    ),
    Rule("impressions", _valid_impressions, _impressions_reason),
)
NEWS = (
    Rule(
        "news_id",
        _matches("^N[0-9]+$"),
        lambda value, _: f"news_id {value!r} is not N followed by digits",
    ),
)
