"""`newsrec-report [--warehouse PATH] [--to DIR]`: the editorial report from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ingestion import Layout

from report.errors import ReportError
from report.render import render_report


def main(argv: list[str] | None = None) -> int:
    layout = Layout.from_env()
    parser = argparse.ArgumentParser(
        prog="newsrec-report",
        description="Write the editorial report: one self-contained HTML page per publisher, "
        "an index and a PNG of every chart.",
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=layout.warehouse,
        help="the DuckDB warehouse, opened read-only (default: $NEWSREC_DATA_DIR/warehouse.duckdb)",
    )
    parser.add_argument(
        "--to",
        type=Path,
        default=layout.reports,
        help="the folder to write into (default: $NEWSREC_DATA_DIR/reports)",
    )
    args = parser.parse_args(argv)
    try:
        report = render_report(args.warehouse, args.to)
    except ReportError as error:
        print(f"newsrec-report: {error}", file=sys.stderr)
        return 1
    for publisher in report.publishers:
        drawn = sum(chart.png is not None for chart in publisher.charts)
        print(f"{publisher.name:<26} {publisher.html}  ({drawn} of {len(publisher.charts)} charts)")
    print(f"index: {report.index}  ({len(report.files)} files in {report.seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
