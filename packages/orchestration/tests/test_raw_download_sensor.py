"""`raw_download_sensor` over a temporary landing zone, tick by tick."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
import pytest
from conftest import layout_resource
from orchestration.defs.sensors import raw_download_sensor


class Ticks:
    """Evaluates the sensor like the daemon does, carrying the cursor from tick to tick."""

    def __init__(self, data_dir: Path) -> None:
        self.cursor: str | None = None
        self.instance = dg.DagsterInstance.ephemeral()
        self.resources = {"layout": layout_resource(data_dir)}
        self.skip_reason: str | None = None

    def tick(self) -> list[dg.RunRequest]:
        context = dg.build_sensor_context(
            cursor=self.cursor, instance=self.instance, resources=self.resources
        )
        result = raw_download_sensor(context)
        assert isinstance(result, dg.SensorResult)
        self.cursor = result.cursor
        self.skip_reason = result.skip_reason.skip_message if result.skip_reason else None
        return list(result.run_requests or [])


def write(path: Path, payload: bytes, mtime: int = 1_700_000_000) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(payload)
    os.utime(path, ns=(mtime * 10**9, mtime * 10**9))
    return path


def publishers(requests: list[dg.RunRequest]) -> list[str]:
    return [key.path[-1] for r in requests for key in r.asset_selection or []]


@pytest.fixture
def landing(data_dir: Path) -> Path:
    return data_dir / "raw-download"


def test_a_new_file_starts_one_run_of_its_publisher_once_it_is_stable(landing: Path) -> None:
    sensor = Ticks(landing.parent)
    write(landing / "mind" / "MINDsmall_train.zip", b"zip")
    assert sensor.tick() == []  # seen once: could still be growing
    requests = sensor.tick()
    assert publishers(requests) == ["mind"]
    assert requests[0].run_key
    assert requests[0].asset_selection == [dg.AssetKey(["raw", "mind"])]
    assert sensor.tick() == []  # unchanged: no second run
    assert sensor.tick() == []


def test_a_growing_file_waits_until_it_stops_changing(landing: Path) -> None:
    sensor = Ticks(landing.parent)
    path = write(landing / "ebnerd" / "ebnerd_small.zip", b"a")
    assert sensor.tick() == []
    write(path, b"ab", mtime=1_700_000_010)
    assert sensor.tick() == []
    write(path, b"abc", mtime=1_700_000_020)
    assert sensor.tick() == []
    assert publishers(sensor.tick()) == ["ebnerd"]


def test_a_part_file_never_runs_until_renamed(landing: Path) -> None:
    sensor = Ticks(landing.parent)
    part = write(landing / "adressa" / "one_week.tar.gz.part", b"partial")
    assert sensor.tick() == []
    assert sensor.tick() == []
    part.rename(landing / "adressa" / "one_week.tar.gz")
    assert sensor.tick() == []
    assert publishers(sensor.tick()) == ["adressa"]


def test_unknown_files_are_skipped_and_reported(landing: Path) -> None:
    sensor = Ticks(landing.parent)
    write(landing / "notes.txt", b"loose in raw-download")
    write(landing / "bbc" / "news.zip", b"not a publisher")
    write(landing / "mind" / "readme.txt", b"no MIND file")
    write(landing / ".gitkeep", b"")
    assert sensor.tick() == []
    assert sensor.tick() == []
    assert sensor.skip_reason is not None
    for name in ("notes.txt", "bbc/news.zip", "mind/readme.txt"):
        assert name in sensor.skip_reason
    assert ".gitkeep" not in sensor.skip_reason


def test_each_publisher_gets_its_own_run(landing: Path) -> None:
    sensor = Ticks(landing.parent)
    write(landing / "mind" / "MINDsmall_dev.zip", b"1")
    write(landing / "mind" / "MINDsmall_train" / "behaviors.tsv", b"2")
    write(landing / "adressa" / "20170101", b"3")
    sensor.tick()
    requests = sensor.tick()
    assert sorted(publishers(requests)) == ["adressa", "mind"]
    assert len({r.run_key for r in requests}) == 2


def test_changed_removed_and_restored_files_each_trigger_again(landing: Path) -> None:
    sensor = Ticks(landing.parent)
    path = write(landing / "mind" / "MINDsmall_train.zip", b"v1")
    sensor.tick()
    first = sensor.tick()
    write(path, b"v2", mtime=1_700_000_100)
    sensor.tick()
    changed = sensor.tick()
    assert publishers(changed) == ["mind"]
    path.unlink()
    removed = sensor.tick()
    assert publishers(removed) == ["mind"]
    write(path, b"v1")  # the very first version again
    sensor.tick()
    restored = sensor.tick()
    assert publishers(restored) == ["mind"]
    keys = [r.run_key for r in first + changed + removed + restored]
    assert len(set(keys)) == 4


def test_the_same_look_gives_the_same_run_key(landing: Path) -> None:
    """If a tick's cursor is lost, re-evaluating yields the same run key, which Dagster skips."""
    write(landing / "mind" / "MINDsmall_train.zip", b"zip")
    sensor = Ticks(landing.parent)
    sensor.tick()
    cursor = sensor.cursor
    once = sensor.tick()
    sensor.cursor = cursor
    again = sensor.tick()
    assert [r.run_key for r in once] == [r.run_key for r in again]
