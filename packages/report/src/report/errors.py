"""The one error the report raises: a sentence that says what to do."""


class ReportError(Exception):
    """The warehouse cannot be reported on as it is (missing, locked, models not built)."""
