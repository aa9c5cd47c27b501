"""Reading ahead in a thread keeps the order, raises the producer's errors and stops cleanly."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from ingestion.ahead import read_ahead


def test_items_arrive_in_order() -> None:
    assert list(read_ahead(iter(range(100)), depth=3)) == list(range(100))


def test_a_producer_error_is_raised_to_the_consumer() -> None:
    def items() -> Iterator[int]:
        yield 1
        raise ValueError("line 2 is broken")

    ahead = read_ahead(items())
    assert next(ahead) == 1
    with pytest.raises(ValueError, match="line 2 is broken"):
        next(ahead)


def test_stopping_early_closes_the_producer_in_its_thread() -> None:
    closed_in: list[str] = []

    def items() -> Iterator[int]:
        try:
            yield from range(1_000_000)
        finally:
            closed_in.append(threading.current_thread().name)

    ahead = read_ahead(items())
    assert next(ahead) == 0
    ahead.close()
    assert closed_in == ["read-ahead"]
    assert not any(t.name == "read-ahead" for t in threading.enumerate())
