"""Run one publisher's dlt pipeline into the Parquet lake, incrementally and atomically.

Only files that are new or changed since the newest finished load are read; removed files drop
out of the inventory. Rows become visible only when dlt records the load as finished. dlt is
imported when a load runs, not with this module: the Dagster code location imports it.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from ingestion.errors import BadInputError
from ingestion.inventory import INVENTORY_TABLE, current_inventory, prune
from ingestion.layout import Layout, dataset_name
from ingestion.lock import publisher_lock
from ingestion.progress import LoadStep, Progress, no_progress
from ingestion.publishers import publisher as describe
from ingestion.report import LoadReport, RunLog
from ingestion.snapshot import snapshot

if TYPE_CHECKING:
    from dlt.common.runtime.collector import Collector
    from dlt.extract.source import DltSource

log = logging.getLogger(__name__)


def run_publisher(
    publisher: str, layout: Layout | None = None, progress: Progress = no_progress
) -> LoadReport:
    """Land `raw-download/<publisher>/` in `lake/raw_<publisher>/` and say what happened;
    `progress` hears of every file read (rows so far) and of the write to the lake."""
    describe(publisher)
    layout = layout or Layout.from_env()
    started = time.monotonic()
    with publisher_lock(layout, publisher):
        look = snapshot(layout, publisher)
        for name in look.unknown:
            log.warning(
                "%s: skipping %s: not a %s file this loader knows", publisher, name, publisher
            )
        previous = current_inventory(layout, publisher)
        changed = [
            f
            for f in look.files
            if f.rel not in previous or previous[f.rel].fingerprint != f.fingerprint
        ]
        removed = sorted(set(previous) - {f.rel for f in look.files})
        report = LoadReport(
            publisher=publisher,
            status="loaded",
            load_id=None,
            files_read=[f.rel for f in changed],
            files_removed=removed,
            files_unchanged=[f.rel for f in look.files if f not in changed],
            skipped_files=[
                *look.unknown,
                *(f"{name} (still downloading)" for name in look.waiting),
            ],
        )
        if not changed and not removed:
            prune(layout, publisher)
            report.status = "up_to_date" if look.files else "empty"
            report.message = (
                f"{len(look.files)} file(s) unchanged since the last load; nothing to do"
                if look.files
                else f"no {publisher} files in {layout.raw_download(publisher)}; nothing loaded"
            )
        else:
            from ingestion.sources import SOURCES

            run_log = RunLog()
            source = SOURCES[publisher](look.files, changed, previous, run_log, progress)
            report.load_id, report.rows_per_table = _load(publisher, layout, source, progress)
            report.skipped_files += sorted(run_log.unknown)
            report.bad_lines_skipped = run_log.bad_lines
            prune(layout, publisher)
            report.message = (
                f"loaded {len(changed)} file(s), removed {len(removed)}, "
                f"{sum(report.rows_per_table.values())} rows"
            )
    report.duration_s = round(time.monotonic() - started, 3)
    log.info("%s: %s", publisher, report.message)
    return report


def _load(
    publisher: str, layout: Layout, source: DltSource, progress: Progress
) -> tuple[str, dict[str, int]]:
    import dlt

    dlt.config["normalize.parquet_normalizer.add_dlt_load_id"] = True
    dlt.config["runtime.dlthub_telemetry"] = False
    # One table's members to the end before the next table's: dlt's default round robin keeps a
    # reader (and its batches) open for every table at once, and peak memory grew with the files.
    dlt.config["extract.next_item_mode"] = "fifo"
    pipeline = dlt.pipeline(
        pipeline_name=f"newsrec_{publisher}",
        destination=dlt.destinations.filesystem(bucket_url=layout.lake.as_uri()),
        dataset_name=dataset_name(publisher),
        pipelines_dir=str(layout.dlt_pipelines),
        progress=_stages(publisher, progress),
    )
    # Start from the lake's state: a killed run's pending package must not be replayed.
    pipeline = pipeline.drop()
    try:
        info = pipeline.run(source, loader_file_format="parquet")
    except Exception as error:
        cause = _bad_input(error)
        if cause is not None:
            raise cause from error
        raise
    info.raise_on_failed_jobs()
    progress(LoadStep(publisher, "done"))
    counts = pipeline.last_trace.last_normalize_info.row_counts
    rows = {t: n for t, n in counts.items() if not t.startswith("_dlt") and t != INVENTORY_TABLE}
    return info.loads_ids[-1], rows


def _stages(publisher: str, progress: Progress) -> Collector:
    """A dlt progress collector that only says when dlt starts writing the lake (normalising
    the extracted files, then loading them): the reading is reported file by file already."""
    from dlt.common.runtime.collector import NullCollector

    class Stages(NullCollector):
        def _start(self, step: str) -> None:
            if step.startswith("Normalize"):
                progress(LoadStep(publisher, "write"))

    return Stages()


def _bad_input(error: BaseException | None) -> BadInputError | None:
    """dlt wraps errors raised in resources; find ours so the user sees file, member and line."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, BadInputError):
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None
