"""MIND: tab-separated text with no header and no quoting (titles hold bare `"`), and the
TransE embedding files (an id followed by 100 floats)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from typing import IO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as csv

from ingestion.errors import BadInputError
from ingestion.landing import Origin
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
_LINE_DELIMITER = "\x1f"


def read_tsv(stream: IO[bytes], columns: tuple[str, ...], origin: Origin) -> Iterator[pa.Table]:
    """Stream a headerless TSV as string columns, exactly as written; a row with the wrong number
    of fields stops the load with its line number."""
    bad: list[tuple[int | None, int, str]] = []

    def on_invalid(row: csv.InvalidRow) -> str:
        bad.append((row.number, row.actual_columns, row.text))
        return "skip"

    reader = csv.open_csv(
        stream,
        read_options=csv.ReadOptions(
            column_names=list(columns), block_size=BLOCK_BYTES, use_threads=False
        ),
        parse_options=csv.ParseOptions(
            delimiter="\t",
            quote_char=False,
            escape_char=False,
            double_quote=False,
            ignore_empty_lines=False,
            invalid_row_handler=on_invalid,
        ),
        convert_options=csv.ConvertOptions(
            column_types=dict.fromkeys(columns, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    yield from _rebatch(_checked(reader, bad, len(columns), origin), origin)


def read_embeddings(stream: IO[bytes], origin: Origin) -> Iterator[pa.Table]:
    """`<wikidata id> <100 floats>` per line, whitespace separated (trailing tabs tolerated)."""
    reader = csv.open_csv(
        stream,
        read_options=csv.ReadOptions(
            column_names=["line"], block_size=BLOCK_BYTES, use_threads=False
        ),
        parse_options=csv.ParseOptions(
            delimiter=_LINE_DELIMITER, quote_char=False, ignore_empty_lines=False
        ),
        convert_options=csv.ConvertOptions(
            column_types={"line": pa.string()}, strings_can_be_null=False
        ),
    )
    first_row = 1
    for batch in reader:
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


def _first_non_numeric(vectors: pa.Array) -> int:
    """Slow path, only after a failed cast: find the offending line."""
    for index, values in enumerate(vectors.to_pylist()):
        try:
            [float(v) for v in values]
        except ValueError:
            return index
    return 0


def _checked(
    reader: csv.CSVStreamingReader,
    bad: list[tuple[int | None, int, str]],
    expected: int,
    origin: Origin,
) -> Iterator[pa.RecordBatch]:
    """Pass batches through, stopping at the first row the reader had to skip."""
    for batch in chain(reader, [None]):
        if bad:
            number, actual, text = bad[0]
            raise BadInputError(
                origin.source_file,
                origin.member,
                number,
                f"expected {expected} tab-separated fields, got {actual}: {text[:120]!r}",
            )
        if batch is not None:
            yield batch


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
