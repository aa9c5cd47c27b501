"""Run one publisher's dlt pipeline into the Parquet lake, incrementally and atomically.

Only files whose bytes are new to the lake are read; a copy of a file already there is reported
and skipped; removed files drop out of the inventory. Every write into the lake is atomic and
rows become visible only when dlt records the load as finished, so a run killed at any byte
leaves the previous load visible, and the next run removes what it left (docs/lake.md). dlt is
imported when a load runs, not with this module: the Dagster code location imports it.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from ingestion.errors import located
from ingestion.inventory import INVENTORY_TABLE, current_inventory
from ingestion.lake.clean import clean
from ingestion.lake.store import lake_store
from ingestion.layout import Layout, dataset_name
from ingestion.lock import publisher_lock
from ingestion.plan import plan_load
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
    """Land `raw-download/<publisher>/` in the lake's `raw_<publisher>/` (the local `lake/`
    folder, or `$NEWSREC_LAKE_URL`) and say what happened;
    `progress` hears of every file read (rows so far) and of the write to the lake."""
    described = describe(publisher)
    layout = layout or Layout.from_env()
    started = time.monotonic()
    with publisher_lock(layout, publisher):
        for path in clean(layout, publisher):
            log.info("%s: removed %s, left by an unfinished or superseded load", publisher, path)
        look = snapshot(layout, publisher)
        for name in look.unknown:
            log.warning(
                "%s: skipping %s: not a %s file this loader knows", publisher, name, publisher
            )
        plan = plan_load(described, look.files, current_inventory(layout, publisher))
        for copy, kept in plan.duplicates.items():
            log.warning("%s: skipping %s: the same bytes as %s", publisher, copy, kept)
        report = LoadReport(
            publisher=publisher,
            status="loaded",
            load_id=None,
            files_read=[f.rel for f in plan.read],
            files_removed=plan.removed,
            files_unchanged=plan.unchanged,
            skipped_files=[
                *look.unknown,
                *(f"{name} (still downloading)" for name in look.waiting),
                *(f"{copy} (the same bytes as {kept})" for copy, kept in plan.duplicates.items()),
            ],
            duplicates=plan.duplicates,
        )
        if not plan.changes_lake:
            report.status = "up_to_date" if look.files else "empty"
            report.message = (
                f"{len(look.files)} file(s) unchanged since the last load; nothing to do"
                if look.files
                else f"no {publisher} files in {layout.raw_download(publisher)}; nothing loaded"
            )
        else:
            from ingestion.sources import SOURCES

            run_log = RunLog()
            source = SOURCES[publisher](plan.read, plan.inventory, run_log, progress)
            report.load_id, report.rows_per_table = _load(publisher, layout, source, progress)
            report.skipped_files += sorted(run_log.unknown)
            report.bad_lines_skipped = run_log.bad_lines
            report.bad_line_numbers = run_log.bad_line_numbers
            clean(layout, publisher)
            report.message = (
                f"loaded {len(plan.read)} file(s), removed {len(plan.removed)}, "
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
        destination=lake_store(layout).destination(),
        dataset_name=dataset_name(publisher),
        pipelines_dir=str(layout.dlt_pipelines),
        progress=_stages(publisher, progress),
    )
    # Start from the lake's state: a killed run's pending package must not be replayed.
    pipeline = pipeline.drop()
    try:
        info = pipeline.run(source, loader_file_format="parquet")
    except Exception as error:
        cause = located(error)
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
