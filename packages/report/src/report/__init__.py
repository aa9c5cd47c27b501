"""The editorial report: one self-contained HTML page of charts per publisher, from the
warehouse, opened read-only."""

from report.errors import ReportError
from report.metadata import report_metadata_markdown
from report.render import Chart, PublisherReport, Report, render_report

__all__ = [
    "Chart",
    "PublisherReport",
    "Report",
    "ReportError",
    "render_report",
    "report_metadata_markdown",
]
