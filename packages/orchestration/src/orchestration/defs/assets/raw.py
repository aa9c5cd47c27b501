"""One raw asset per publisher: its downloads landed in the Parquet lake by the ingestion package.

They touch only `lake/raw_<publisher>/`, never the warehouse, so they run in parallel and stay out
of the warehouse pool.
"""

import time
from collections.abc import Callable
from typing import Any

import dagster as dg
from ingestion import (
    PUBLISHERS,
    BadInputError,
    LakeSummary,
    LoadReport,
    LoadStep,
    Progress,
    SourceFileError,
    describe_failure,
    lake_summary,
    publisher,
    run_publisher,
)

from orchestration.defs.resources import LayoutResource


def raw_asset_key(publisher: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", publisher])


# The provenance columns every raw table carries (docs/lake.md).
PROVENANCE = {
    "_source_file": "the download, by its path in raw-download/<publisher>/",
    "_source_member": "the member inside the archive (a loose file: its path)",
    "_dataset": "the release: MINDsmall_train, ebnerd_small, one_week, ...",
    "_split": "train, validation or test (null where the release has none)",
    "_row_number": "1-based line (text) or row (Parquet) in the member",
    "_dlt_load_id": "the dlt load that wrote the row",
}


def load_metadata(report: LoadReport) -> dict[str, Any]:
    """What this run did: rows loaded per table, files read, unchanged, removed, load id."""
    rows = report.rows_per_table
    metadata: dict[str, Any] = {
        "status": report.status,
        "load_id": report.load_id or "none",
        "duration_s": dg.MetadataValue.float(float(report.duration_s)),
        "rows_loaded": dg.MetadataValue.int(sum(rows.values())),
        "rows_loaded_per_table": dg.MetadataValue.json(rows),
        "files_read": dg.MetadataValue.json(report.files_read),
        "files_unchanged": dg.MetadataValue.json(report.files_unchanged),
        "files_removed": dg.MetadataValue.json(report.files_removed),
        "skipped_files": dg.MetadataValue.json(report.skipped_files),
        "message": report.message,
    }
    if report.bad_lines_skipped:
        metadata["bad_lines_skipped"] = dg.MetadataValue.json(report.bad_lines_skipped)
    return metadata


def lake_metadata(summary: LakeSummary) -> dict[str, Any]:
    """What the lake holds after the run, whatever the run did: visible rows per table (and in
    all), the downloads behind them, the Parquet files, and every table's columns as one table
    schema whose columns are named `<table>.<column>`."""
    columns = [
        dg.TableColumn(
            f"{table.name}.{name}",
            kind,
            description=PROVENANCE.get(name, f"column of raw table {table.name}"),
        )
        for table in summary.tables
        for name, kind in table.columns
    ]
    metadata: dict[str, Any] = {
        "dagster/row_count": dg.MetadataValue.int(summary.rows),
        "dagster/column_schema": dg.MetadataValue.table_schema(dg.TableSchema(columns=columns)),
        "lake_load_id": summary.load_id or "none",
        "source_files": dg.MetadataValue.json(list(summary.source_files)),
        "source_file_count": dg.MetadataValue.int(len(summary.source_files)),
        "parquet_files": dg.MetadataValue.int(sum(t.parquet_files for t in summary.tables)),
        "parquet_mib": dg.MetadataValue.float(
            round(sum(t.parquet_bytes for t in summary.tables) / 2**20, 2)
        ),
    }
    metadata.update(
        {f"rows/{table.name}": dg.MetadataValue.int(table.rows) for table in summary.tables}
    )
    return metadata


def progress_log(
    log: Any, every_s: float = 5.0, clock: Callable[[], float] = time.monotonic
) -> Progress:
    """A load's progress in the run log: each file read at DEBUG, and at INFO a line at most
    every `every_s` seconds while a large file is read (rows so far and the rate)."""
    started: dict[tuple[str | None, str | None], float] = {}
    last = [clock()]

    def report(step: LoadStep) -> None:
        key = (step.table, step.file)
        now = clock()
        if step.stage != "read":
            if step.stage == "write":
                log.debug(f"{step.publisher}: writing the lake")
            return
        began = started.setdefault(key, now)
        if step.finished:
            log.debug(f"{step.publisher}: {step.rows:,} {step.table} rows from {step.file}")
        elif step.rows and now - last[0] >= every_s:
            rate = step.rows / max(now - began, 1e-6)
            log.info(
                f"{step.publisher}: reading {step.table} from {step.file}: "
                f"{step.rows:,} rows, {rate:,.0f} rows/s"
            )
            last[0] = now

    return report


def raw_asset(name: str) -> dg.AssetsDefinition:
    described = publisher(name)

    @dg.asset(
        key=raw_asset_key(name),
        group_name="raw",
        kinds={"dlt", "parquet"},
        description=(
            f"{described.title} downloads from `raw-download/{name}/`, landed as they are "
            f"in the Parquet lake `lake/raw_{name}/` (only new or changed files are read). "
            "Its metadata says what the lake holds after each run: rows per table, the "
            "downloads behind them, and every column."
        ),
    )
    def _raw(context: dg.AssetExecutionContext, layout: LayoutResource) -> dg.MaterializeResult:
        try:
            report = run_publisher(name, layout.layout, progress_log(context.log))
        except SourceFileError as error:
            kind = "malformed input" if isinstance(error, BadInputError) else "cannot load"
            raise dg.Failure(
                description=f"{name}: {kind}: {error}",
                metadata={
                    "file": error.file,
                    "member": error.member or "",
                    "line": error.line if error.line is not None else -1,
                    "reason": error.reason,
                },
            ) from error
        except Exception as error:
            # a failure of no file (the disk, a library): still one line saying what happened
            raise dg.Failure(
                description=f"{name}: {describe_failure(error)}",
                metadata={"reason": describe_failure(error), "error": type(error).__name__},
            ) from error
        context.log.info(f"{name}: {report.status}: {report.message}")
        for skipped in report.skipped_files:
            context.log.warning(f"{name}: skipped {skipped}")
        held = lake_summary(layout.layout, name)
        return dg.MaterializeResult(metadata={**load_metadata(report), **lake_metadata(held)})

    return _raw


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[raw_asset(name) for name in PUBLISHERS])
