"""`newsrec-ingest`: land publishers' downloads in the lake without Dagster.

Each publisher runs on its own; one failing, for whatever reason, does not stop the others, but
the exit code says so: 0 loaded or up to date, 1 a publisher failed, 2 nothing to ingest (no data
directory, no downloads) or a usage error. Progress (file, rows, rate) goes to stderr, the reports
to stdout.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from ingestion.console import display, load_display
from ingestion.errors import describe_failure, located
from ingestion.layout import DataDirError, Layout
from ingestion.pipeline import run_publisher
from ingestion.preflight import NothingToIngestError, require_input
from ingestion.publishers import PUBLISHERS

log = logging.getLogger(__name__)


def failure(publisher: str, error: Exception) -> dict[str, object]:
    """A failed publisher in the `--json` output: where and why."""
    where = located(error)
    return {
        "publisher": publisher,
        "status": "failed",
        "message": describe_failure(error),
        "file": where.file if where else None,
        "member": where.member if where else None,
        "line": where.line if where else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsrec-ingest", description=__doc__)
    parser.add_argument("publishers", nargs="*", metavar="PUBLISHER", help=", ".join(PUBLISHERS))
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="default: $NEWSREC_DATA_DIR, else the repository's data/",
    )
    parser.add_argument("--json", action="store_true", help="print the reports as JSON")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.publishers) - set(PUBLISHERS))
    if unknown:
        parser.error(f"unknown publisher(s) {', '.join(unknown)}; expected {', '.join(PUBLISHERS)}")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    layout = Layout.from_env(args.data_dir)
    chosen = args.publishers or list(PUBLISHERS)
    try:
        require_input(layout, chosen)
    except (DataDirError, NothingToIngestError) as error:
        print(f"newsrec-ingest: {error}", file=sys.stderr)
        return 2
    failed = []
    reports = []
    for publisher in chosen:
        try:
            with display() as shown:
                report = run_publisher(publisher, layout, load_display(shown))
        except Exception as error:
            failed.append(publisher)
            reports.append(failure(publisher, error))
            print(f"{publisher}: FAILED: {describe_failure(error)}", file=sys.stderr)
            log.debug("%s failed", publisher, exc_info=error)
            continue
        reports.append(report.to_dict())
        if not args.json:
            rows = ", ".join(f"{t}={n}" for t, n in report.rows_per_table.items()) or "no rows"
            print(f"{publisher}: {report.status}: {report.message} ({rows}; {report.duration_s}s)")
            for name in report.skipped_files:
                print(f"  skipped: {name}")
            for where, count in report.bad_lines_skipped.items():
                print(f"  bad lines skipped: {count} in {where}")
    if args.json:
        print(json.dumps(reports, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
