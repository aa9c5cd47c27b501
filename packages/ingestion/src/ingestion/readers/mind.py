"""MIND: tab-separated text with no header and no quoting (titles hold bare `"`), and the
TransE embedding files (an id followed by 100 floats). Every batch is checked before it is passed
on (`mind_rules`): the first bad line stops the load, named, before anything of it is landed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as csv

from ingestion.errors import BadInputError
from ingestion.landing import Origin
from ingestion.readers import mind_rules
from ingestion.readers.provenance import BATCH_ROWS, with_provenance

BEHAVIORS_COLUMNS = ("impression_id", "user_id", "time", "history", "impressions")
NEWS_COLUMNS = (
    "news_id",
    "category",
    "subcategory",
    "title",
    "abstract",
    "url",
    "title_entities",
    "abstract_entities",
)
EMBEDDING_DIM = 100
BLOCK_BYTES = 16 << 20
"""Also the longest line the reader takes: no real MIND line comes near it."""
_LINE_DELIMITER = "\x1f"
RULES = {BEHAVIORS_COLUMNS: mind_rules.BEHAVIORS, NEWS_COLUMNS: mind_rules.NEWS}
"""The row rules of each TSV, by its columns."""


def read_tsv(stream: IO[bytes], columns: tuple[str, ...], origin: Origin) -> Iterator[pa.Table]:
    """Stream a headerless TSV as string columns, exactly as written; the first line with the
    wrong number of fields, text that is not UTF-8 or a value of the wrong form stops the load
    with its line number."""
    skipped: list[tuple[int | None, int, str]] = []

    def on_invalid(row: csv.InvalidRow) -> str:
        skipped.append((row.number, row.actual_columns, row.text))
        return "skip"

    def wrong_fields() -> BadInputError:
        number, actual, text = skipped[0]
        return BadInputError(
            origin.source_file,
            origin.member,
            number,
            f"expected {len(columns)} tab-separated fields, got {actual}: {text[:120]!r}",
        )

    def checked(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        """A batch with a skipped row is never passed on; rows after it are numbered one short,
        so a rule broken there is reported only if it comes before the skipped row."""
        first_line = 1
        for batch in batches:
            try:
                mind_rules.check_utf8(batch, origin, first_line)
                mind_rules.check_rows(batch, RULES.get(columns, ()), origin, first_line)
            except BadInputError as error:
                number = skipped[0][0] if skipped else None
                if number is not None and error.line is not None and number <= error.line:
                    raise wrong_fields() from None
                raise
            if skipped:
                raise wrong_fields()
            first_line += batch.num_rows
            yield batch
        if skipped:
            raise wrong_fields()

    options = (
        csv.ReadOptions(column_names=list(columns), block_size=BLOCK_BYTES, use_threads=False),
        csv.ParseOptions(
            delimiter="\t",
            quote_char=False,
            escape_char=False,
            double_quote=False,
            ignore_empty_lines=False,
            invalid_row_handler=on_invalid,
        ),
        csv.ConvertOptions(
            column_types=dict.fromkeys(columns, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            check_utf8=False,  # checked per batch, so a bad byte is named with its line
        ),
    )
    yield from _rebatch(checked(_batches(stream, options, origin)), origin)


def read_embeddings(stream: IO[bytes], origin: Origin) -> Iterator[pa.Table]:
    """`<wikidata id> <100 floats>` per line, whitespace separated (trailing tabs tolerated)."""
    options = (
        csv.ReadOptions(column_names=["line"], block_size=BLOCK_BYTES, use_threads=False),
        csv.ParseOptions(delimiter=_LINE_DELIMITER, quote_char=False, ignore_empty_lines=False),
        csv.ConvertOptions(
            column_types={"line": pa.string()}, strings_can_be_null=False, check_utf8=False
        ),
    )
    first_row = 1
    for batch in _batches(stream, options, origin):
        mind_rules.check_utf8(batch, origin, first_row)
        fields = pc.utf8_split_whitespace(pc.utf8_trim_whitespace(batch.column(0)))
        lengths = pc.list_value_length(fields)
        wrong = pc.not_equal(lengths, EMBEDDING_DIM + 1)
        if pc.any(wrong).as_py():
            index = pc.index(wrong, True).as_py()
            raise BadInputError(
                origin.source_file,
                origin.member,
                first_row + index,
                f"expected an id and {EMBEDDING_DIM} numbers, "
                f"got {lengths[index].as_py() - 1} numbers",
            )
        vectors = pc.list_slice(fields, 1, EMBEDDING_DIM + 1)
        try:
            vectors = vectors.cast(pa.list_(pa.float32()))
        except pa.ArrowInvalid as error:
            line = first_row + _first_non_numeric(vectors)
            raise BadInputError(origin.source_file, origin.member, line, str(error)) from error
        table = pa.table({"wikidata_id": pc.list_element(fields, 0), "vector": vectors})
        yield with_provenance(table, origin, first_row)
        first_row += batch.num_rows


def _batches(
    stream: IO[bytes],
    options: tuple[csv.ReadOptions, csv.ParseOptions, csv.ConvertOptions],
    origin: Origin,
) -> Iterator[pa.RecordBatch]:
    """The reader's batches; what pyarrow cannot parse is named with the line it stopped at."""
    line = 1
    try:
        reader = csv.open_csv(
            stream, read_options=options[0], parse_options=options[1], convert_options=options[2]
        )
        for batch in reader:
            line += batch.num_rows
            yield batch
    except pa.ArrowInvalid as error:
        if "straddl" in str(error):
            reason = (
                f"no line break within {BLOCK_BYTES / (1 << 20):g} MiB: "
                "a line this long is not MIND's"
            )
        else:
            reason = f"cannot be parsed from here on: {error}"
        raise BadInputError(origin.source_file, origin.member, line, reason) from error


def _first_non_numeric(vectors: pa.Array) -> int:
    """Slow path, only after a failed cast: find the offending line."""
    for index, values in enumerate(vectors.to_pylist()):
        try:
            [float(v) for v in values]
        except ValueError:
            return index
    return 0


def _rebatch(batches: Iterator[pa.RecordBatch], origin: Origin) -> Iterator[pa.Table]:
    """Group reader blocks into tables of at least BATCH_ROWS rows (Parquet row groups)."""
    pending: list[pa.RecordBatch] = []
    rows = 0
    first_row = 1
    for batch in batches:
        pending.append(batch)
        rows += batch.num_rows
        if rows >= BATCH_ROWS:
            yield with_provenance(pa.Table.from_batches(pending), origin, first_row)
            first_row += rows
            pending, rows = [], 0
    if rows:
        yield with_provenance(pa.Table.from_batches(pending), origin, first_row)
