"""The sample's point in time: every timestamp is at or before `end`, and each publisher's
newest one lies shortly before it, so freshness checks can be judged as of `end`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

HOUR = 3600
DAY = 24 * HOUR
OSLO = timedelta(hours=1)
"""Adressa cuts its daily files at Norwegian midnight; January is CET, UTC+1."""


def resolve_end(end: datetime | None) -> datetime:
    """`end` in UTC, whole seconds; now truncated to the hour when not given (a naive `end` is
    taken as UTC)."""
    if end is None:
        return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    if end.tzinfo is None:
        end = end.replace(tzinfo=UTC)
    return end.astimezone(UTC).replace(microsecond=0)


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def oslo_day(moment: datetime) -> date:
    return (moment + OSLO).date()


def oslo_day_start(day: date) -> int:
    """Epoch second of Oslo midnight opening `day` (23:00 UTC the day before)."""
    return epoch(datetime(day.year, day.month, day.day, tzinfo=UTC) - OSLO)
