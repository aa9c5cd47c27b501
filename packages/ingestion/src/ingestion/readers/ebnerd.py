"""EB-NeRD: Polars-written Parquet. Batches keep the source types (uint32 ids, nullable int8,
large lists, naive timestamps) and are conformed to one schema per table, so the test split
(14 columns, plus `is_beyond_accuracy`) and train/validation (17 columns) land side by side."""

from __future__ import annotations

import shutil
import tempfile
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import accumulate
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingestion.errors import BadInputError
from ingestion.guarded import ArchiveError, changed
from ingestion.landing import Member, Origin
from ingestion.readers.provenance import BATCH_ROWS, with_provenance

_ts = pa.timestamp("us")
_UNDECODABLE = (pa.ArrowException, OSError)

# A history row holds a user's whole reading history (thousands of list items), so a fixed row
# count does not bound memory: batches aim for this many uncompressed bytes instead.
BATCH_BYTES = 16 << 20
READ_BYTES = 1 << 20

BEHAVIORS_SCHEMA = pa.schema(
    [
        ("impression_id", pa.uint32()),
        ("article_id", pa.int32()),
        ("impression_time", _ts),
        ("read_time", pa.float32()),
        ("scroll_percentage", pa.float32()),
        ("device_type", pa.int8()),
        ("article_ids_inview", pa.large_list(pa.int32())),
        ("article_ids_clicked", pa.large_list(pa.int32())),
        ("user_id", pa.uint32()),
        ("is_sso_user", pa.bool_()),
        ("gender", pa.int8()),
        ("postcode", pa.int8()),
        ("age", pa.int8()),
        ("is_subscriber", pa.bool_()),
        ("session_id", pa.uint32()),
        ("next_read_time", pa.float32()),
        ("next_scroll_percentage", pa.float32()),
        ("is_beyond_accuracy", pa.bool_()),
    ]
)
HISTORY_SCHEMA = pa.schema(
    [
        ("user_id", pa.uint32()),
        ("impression_time_fixed", pa.large_list(_ts)),
        ("scroll_percentage_fixed", pa.large_list(pa.float32())),
        ("article_id_fixed", pa.large_list(pa.int32())),
        ("read_time_fixed", pa.large_list(pa.float32())),
    ]
)
ARTICLES_SCHEMA = pa.schema(
    [
        ("article_id", pa.int32()),
        ("title", pa.string()),
        ("subtitle", pa.string()),
        ("last_modified_time", _ts),
        ("premium", pa.bool_()),
        ("body", pa.string()),
        ("published_time", _ts),
        ("image_ids", pa.large_list(pa.int64())),
        ("article_type", pa.string()),
        ("url", pa.string()),
        ("ner_clusters", pa.large_list(pa.string())),
        ("entity_groups", pa.large_list(pa.string())),
        ("topics", pa.large_list(pa.string())),
        ("category", pa.int16()),
        ("subcategory", pa.large_list(pa.int16())),
        ("category_str", pa.string()),
        ("total_inviews", pa.int32()),
        ("total_pageviews", pa.int32()),
        ("total_read_time", pa.float32()),
        ("sentiment_score", pa.float32()),
        ("sentiment_label", pa.string()),
    ]
)
SCHEMAS = {"behaviors": BEHAVIORS_SCHEMA, "history": HISTORY_SCHEMA, "articles": ARTICLES_SCHEMA}
REQUIRED = {
    "behaviors": ("impression_id", "impression_time", "article_ids_inview", "user_id"),
    "history": ("user_id", "article_id_fixed"),
    "articles": ("article_id",),
}


def read_parquet(member: Member, table: str, origin: Origin) -> Iterator[pa.Table]:
    """Stream row batches of one Parquet member, conformed to the table's schema. A file that
    is not Parquet, lacks a required column or holds a column of another type is refused,
    naming the column and the row group, before anything of it is landed."""
    schema = SCHEMAS[table]
    with _local_copy(member) as path:
        try:
            # pages streamed through a small buffer, not whole column chunks read ahead: the
            # files are often one row group, so memory would otherwise grow with the file
            parquet = pq.ParquetFile(path, buffer_size=READ_BYTES, pre_buffer=False)
        except (pa.ArrowInvalid, OSError) as error:
            _raise_if_changed(member, error)
            raise BadInputError(
                origin.source_file, origin.member, None, f"not a readable Parquet file: {error}"
            ) from error
        missing = [c for c in REQUIRED[table] if c not in parquet.schema_arrow.names]
        if missing:
            raise BadInputError(
                origin.source_file,
                origin.member,
                None,
                f"missing column(s) {', '.join(missing)} expected in EB-NeRD {table}",
            )
        groups = RowGroups(parquet.metadata)
        check_types(parquet.schema_arrow, schema, origin, groups)
        first_row = 1
        batches = parquet.iter_batches(batch_size=batch_rows(parquet.metadata))
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                return
            except _UNDECODABLE as error:
                _raise_if_changed(member, error)
                row = groups.first_undecodable(parquet, first_row)
                raise BadInputError(
                    origin.source_file,
                    origin.member,
                    None,
                    f"{groups.where(row, exact=False)}: cannot be decoded: "
                    f"{' '.join(str(error).split())}",
                ) from error
            conformed = conform(pa.Table.from_batches([batch]), schema, origin, first_row, groups)
            yield with_provenance(conformed, origin, first_row)
            first_row += batch.num_rows


def batch_rows(metadata: pq.FileMetaData) -> int:
    """Rows per batch: about BATCH_BYTES of decoded data, at most twice BATCH_ROWS."""
    decoded = sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))
    if not decoded:
        return BATCH_ROWS * 2
    return max(1, min(BATCH_ROWS * 2, BATCH_BYTES * metadata.num_rows // decoded))


class RowGroups:
    """Where a row of the file is: its row group, for messages a user can check with any
    Parquet tool (row groups and rows counted from 1)."""

    def __init__(self, metadata: pq.FileMetaData) -> None:
        self.count = metadata.num_row_groups
        self.starts = list(
            accumulate((metadata.row_group(i).num_rows for i in range(self.count)), initial=1)
        )

    def first_undecodable(self, parquet: pq.ParquetFile, from_row: int) -> int:
        """Slow path, after a batch failed to decode (batches may span row groups): the first
        row of the first row group from `from_row` on that fails on its own."""
        group = min(bisect_right(self.starts, from_row), self.count)
        for index in range(group - 1, self.count):
            try:
                for _ in parquet.iter_batches(row_groups=[index]):
                    pass
            except _UNDECODABLE:
                return self.starts[index]
        return from_row

    def where(self, row: int, exact: bool = True) -> str:
        """`row group 2 of 3 (rows 10,001-20,000)`, and `, row 12,345` when `exact`."""
        if not self.count:
            return f"row {row:,}"
        group = min(bisect_right(self.starts, row), self.count)
        first, end = self.starts[group - 1], self.starts[group] - 1
        place = f"row group {group} of {self.count} (rows {first:,}-{end:,})"
        return f"{place}, row {row:,}" if exact else place


def check_types(found: pa.Schema, schema: pa.Schema, origin: Origin, groups: RowGroups) -> None:
    """Up front, from the file's schema: a column of a type that has no conversion to the
    expected one at all (a list for a number, …) is refused before a row is decoded."""
    for field in schema:
        if field.name not in found.names:
            continue
        actual = found.field(field.name).type
        if actual == field.type:
            continue
        try:
            pa.array([], actual).cast(field.type)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
            raise BadInputError(
                origin.source_file,
                origin.member,
                None,
                f"column {field.name} has type {actual} in every row group "
                f"({groups.count}), expected {field.type}: {error}",
            ) from error


def conform(
    table: pa.Table, schema: pa.Schema, origin: Origin, first_row: int, groups: RowGroups
) -> pa.Table:
    """Columns in schema order with schema types; a split's absent columns become nulls."""
    columns = []
    for field in schema:
        if field.name not in table.column_names:
            columns.append(pa.nulls(table.num_rows, field.type))
            continue
        column = table.column(field.name)
        if column.type != field.type:
            try:
                column = column.cast(field.type)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
                index = _first_uncastable(column, field.type)
                raise BadInputError(
                    origin.source_file,
                    origin.member,
                    None,
                    f"{groups.where(first_row + index)}: column {field.name} has type "
                    f"{column.type}, expected {field.type}, and {_shown(column[index])} does "
                    f"not convert: {error}",
                ) from error
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=schema)


def _shown(value: pa.Scalar) -> str:
    try:
        return repr(value.as_py())
    except (ValueError, OverflowError):  # e.g. nanoseconds, which Python's datetime lacks
        return value.cast(pa.string()).as_py()


def _first_uncastable(column: pa.ChunkedArray, target: pa.DataType) -> int:
    """Slow path, after a failed cast: halve the batch until the first bad row is found."""
    low, high = 0, len(column)
    while high - low > 1:
        middle = (low + high) // 2
        try:
            column.slice(low, middle - low).cast(target)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            high = middle
        else:
            low = middle
    return low


def _raise_if_changed(member: Member, error: BaseException) -> None:
    """A loose file is read by pyarrow itself: a failure may be the file changing under it."""
    change = changed(member.source) if member.name == member.source.rel else None
    if change:
        said = " ".join(str(error).split())
        raise ArchiveError(
            member.source.rel,
            None,
            None,
            f"{change} while it was being read: run the load again ({said})",
        ) from error


@contextmanager
def _local_copy(member: Member) -> Iterator[Path]:
    """Parquet needs random access: loose files are read in place, archive members are spooled
    to a temporary file first (streamed, so memory stays flat)."""
    if member.name == member.source.rel:
        yield member.source.path
        return
    with tempfile.TemporaryDirectory(prefix="newsrec-") as tmp:
        path = Path(tmp) / "member.parquet"
        with member.open() as src, path.open("wb") as dst:
            shutil.copyfileobj(src, dst, 8 << 20)
        yield path
