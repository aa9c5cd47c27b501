"""Atomic at any byte: a run SIGKILLed inside any kind of write into the lake leaves readers on
exactly the newest finished load, and the next run succeeds and equals a clean run.

The quick set (one kill point per kind of write and publisher) runs with the suite; the full
sweep (every write of a load cut at five places, every rename, unlink and mkdir killed before and
after) is marked `killsweep`: `uv run --package ingestion pytest packages/ingestion -m killsweep`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from killharness import (
    FIRST,
    NEXT,
    TABLES,
    KillPoint,
    Start,
    compile_hook,
    kill_and_recover,
    prepare,
    quick_points,
    traced_points,
)


@pytest.fixture(scope="session")
def hook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return compile_hook(tmp_path_factory.mktemp("killhook"))


@pytest.fixture(scope="session")
def starts(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Start]:
    """The starting points of a publisher, prepared when a test first asks for them."""
    prepared: dict[str, dict[str, Start]] = {}

    def start(publisher: str, scenario: str) -> Start:
        if publisher not in prepared:
            prepared[publisher] = prepare(publisher, tmp_path_factory.mktemp(f"kill-{publisher}"))
        return prepared[publisher][scenario]

    return start


QUICK = [
    pytest.param(publisher, scenario, point, id=f"{publisher}-{scenario}-{point.label}")
    for publisher in TABLES
    for scenario, point in quick_points(publisher)
]


@pytest.mark.parametrize(("publisher", "scenario", "point"), QUICK)
def test_a_kill_inside_a_write_leaves_the_lake_on_a_finished_load(
    hook: Path,
    starts: Callable[[str, str], Start],
    tmp_path: Path,
    publisher: str,
    scenario: str,
    point: KillPoint,
) -> None:
    start = starts(publisher, scenario)
    outcome = kill_and_recover(hook, start, publisher, point, tmp_path)
    assert outcome.failures(start) == []


@pytest.mark.killsweep
@pytest.mark.parametrize("scenario", [FIRST, NEXT])
@pytest.mark.parametrize("publisher", list(TABLES))
def test_every_kill_point_of_a_load(
    hook: Path,
    starts: Callable[[str, str], Start],
    tmp_path: Path,
    publisher: str,
    scenario: str,
) -> None:
    start = starts(publisher, scenario)
    points = traced_points(hook, start, publisher, tmp_path)
    failed = {}
    kinds: dict[str, int] = {}
    for point in points:
        kinds[point.kind] = kinds.get(point.kind, 0) + 1
        problems = kill_and_recover(hook, start, publisher, point, tmp_path).failures(start)
        if problems:
            failed[point.label] = problems
    survived = len(points) - len(failed)
    print(f"\n{publisher}, {scenario}: {survived} of {len(points)} kill points survived: {kinds}")
    assert failed == {}
