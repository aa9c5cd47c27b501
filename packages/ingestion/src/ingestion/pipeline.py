"""Run one publisher's dlt pipeline into the Parquet lake, incrementally and atomically.

Only files that are new or changed since the newest finished load are read; removed files drop
out of the inventory. Rows become visible only when dlt records the load as finished.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import dlt
from dlt.extract.source import DltSource

from ingestion.config import check_publisher, data_dir, dataset_name, lake_dir, raw_download_dir
from ingestion.discover import scan
from ingestion.errors import BadInputError
from ingestion.inventory import INVENTORY_TABLE, current_inventory, prune
from ingestion.lock import publisher_lock
from ingestion.report import LoadReport
from ingestion.sources import adressa, ebnerd, mind
from ingestion.sources.common import RunLog, select_files

log = logging.getLogger(__name__)

SOURCES: dict[str, tuple[ModuleType, Callable[..., DltSource]]] = {
    "ebnerd": (ebnerd, ebnerd.ebnerd),
    "adressa": (adressa, adressa.adressa),
    "mind": (mind, mind.mind),
}


def run_publisher(publisher: str, base: Path | None = None) -> LoadReport:
    """Land `raw-download/<publisher>/` in `lake/raw_<publisher>/` and say what happened."""
    check_publisher(publisher)
    base = base or data_dir()
    started = time.monotonic()
    lake = lake_dir(base)
    module, make_source = SOURCES[publisher]
    with publisher_lock(lake, publisher):
        files, waiting = scan(raw_download_dir(publisher, base))
        accepted, unknown = select_files(files, module.classify, module.ARCHIVES)
        for name in unknown:
            log.warning(
                "%s: skipping %s: not a %s file this loader knows", publisher, name, publisher
            )
        previous = current_inventory(lake, publisher)
        changed = [
            f
            for f in accepted
            if f.rel not in previous or previous[f.rel].fingerprint != f.fingerprint
        ]
        removed = sorted(set(previous) - {f.rel for f in accepted})
        report = LoadReport(
            publisher=publisher,
            status="loaded",
            load_id=None,
            files_read=[f.rel for f in changed],
            files_removed=removed,
            files_unchanged=[f.rel for f in accepted if f not in changed],
            skipped_files=unknown + [f"{name} (still downloading)" for name in waiting],
        )
        if not changed and not removed:
            prune(lake, publisher)
            report.status = "up_to_date" if accepted else "empty"
            report.message = (
                f"{len(accepted)} file(s) unchanged since the last load; nothing to do"
                if accepted
                else f"no {publisher} files in {raw_download_dir(publisher, base)}; nothing loaded"
            )
        else:
            run_log = RunLog()
            source = make_source(accepted, changed, previous, run_log)
            report.load_id, report.rows_per_table = _load(publisher, base, source)
            report.skipped_files += sorted(run_log.unknown)
            report.bad_lines_skipped = run_log.bad_lines
            prune(lake, publisher)
            report.message = (
                f"loaded {len(changed)} file(s), removed {len(removed)}, "
                f"{sum(report.rows_per_table.values())} rows"
            )
    report.duration_s = round(time.monotonic() - started, 3)
    log.info("%s: %s", publisher, report.message)
    return report


def _load(publisher: str, base: Path, source: DltSource) -> tuple[str, dict[str, int]]:
    dlt.config["normalize.parquet_normalizer.add_dlt_load_id"] = True
    dlt.config["runtime.dlthub_telemetry"] = False
    # One table's members to the end before the next table's: dlt's default round robin keeps a
    # reader (and its batches) open for every table at once, and peak memory grew with the files.
    dlt.config["extract.next_item_mode"] = "fifo"
    pipeline = dlt.pipeline(
        pipeline_name=f"newsrec_{publisher}",
        destination=dlt.destinations.filesystem(bucket_url=lake_dir(base).as_uri()),
        dataset_name=dataset_name(publisher),
        pipelines_dir=str(base / ".dlt" / "pipelines"),
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
    counts = pipeline.last_trace.last_normalize_info.row_counts
    rows = {t: n for t, n in counts.items() if not t.startswith("_dlt") and t != INVENTORY_TABLE}
    return info.loads_ids[-1], rows


def _bad_input(error: BaseException | None) -> BadInputError | None:
    """dlt wraps errors raised in resources; find ours so the user sees file, member and line."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, BadInputError):
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None
