"""One raw asset per publisher: its downloads landed in the Parquet lake by the ingestion package.

They touch only `lake/raw_<publisher>/`, never the warehouse, so they run in parallel and stay out
of the warehouse pool.
"""

from typing import Any

import dagster as dg
from ingestion import (
    PUBLISHERS,
    BadInputError,
    LoadReport,
    SourceFileError,
    describe_failure,
    publisher,
    run_publisher,
)

from orchestration.defs.resources import LayoutResource


def raw_asset_key(publisher: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", publisher])


def load_metadata(report: LoadReport) -> dict[str, Any]:
    """What the run did, as asset metadata: rows per table, files, load id, duration."""
    rows = report.rows_per_table
    metadata: dict[str, Any] = {
        "status": report.status,
        "load_id": report.load_id or "none",
        "duration_s": dg.MetadataValue.float(float(report.duration_s)),
        "rows_loaded": dg.MetadataValue.int(sum(rows.values())),
        "rows_per_table": dg.MetadataValue.json(rows),
        "files_read": dg.MetadataValue.json(report.files_read),
        "files_unchanged": dg.MetadataValue.json(report.files_unchanged),
        "files_removed": dg.MetadataValue.json(report.files_removed),
        "skipped_files": dg.MetadataValue.json(report.skipped_files),
        "message": report.message,
    }
    metadata.update({f"rows/{table}": dg.MetadataValue.int(n) for table, n in rows.items()})
    if report.bad_lines_skipped:
        metadata["bad_lines_skipped"] = dg.MetadataValue.json(report.bad_lines_skipped)
    return metadata


def raw_asset(name: str) -> dg.AssetsDefinition:
    described = publisher(name)

    @dg.asset(
        key=raw_asset_key(name),
        group_name="raw",
        kinds={"dlt", "parquet"},
        description=(
            f"{described.title} downloads from `raw-download/{name}/`, landed as they are "
            f"in the Parquet lake `lake/raw_{name}/` (only new or changed files are read)."
        ),
    )
    def _raw(context: dg.AssetExecutionContext, layout: LayoutResource) -> dg.MaterializeResult:
        try:
            report = run_publisher(name, layout.layout)
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
        return dg.MaterializeResult(metadata=load_metadata(report))

    return _raw


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[raw_asset(name) for name in PUBLISHERS])
