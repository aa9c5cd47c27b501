"""What changed in `raw-download/` since the last look, for the sensor that starts raw loads.

A file counts once it has stopped changing: it must show the same size and modification time on
two consecutive looks (downloads still named `*.part` and the like are never read). The state
round-trips through the sensor cursor, so each change starts exactly one run.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from ingestion import PUBLISHERS, Layout, snapshot, stray_files


@dataclass(frozen=True)
class Observation:
    """One look at the landing zone, by the loader's own rule (`ingestion.snapshot`): keys of
    `files` are `<publisher>/<path in its folder>` of the files a load would read."""

    files: dict[str, str]
    in_progress: list[str]
    unknown: list[str]


def observe(layout: Layout) -> Observation:
    files: dict[str, str] = {}
    in_progress: list[str] = []
    unknown = stray_files(layout)
    for publisher in PUBLISHERS:
        look = snapshot(layout, publisher)
        files.update({f"{publisher}/{rel}": fp for rel, fp in look.fingerprints.items()})
        in_progress += [f"{publisher}/{rel}" for rel in look.waiting]
        unknown += [f"{publisher}/{rel}" for rel in look.unknown]
    return Observation(files, in_progress, sorted(unknown))


@dataclass(frozen=True)
class Trigger:
    """One run to start: a publisher and the changes that call for it."""

    publisher: str
    changes: list[str]
    run_key: str


@dataclass
class DownloadState:
    """The sensor cursor: fingerprints already loaded, candidates seen once, and a counter that
    keeps run keys unique when the same file comes back later."""

    loaded: dict[str, str] = field(default_factory=dict)
    pending: dict[str, str] = field(default_factory=dict)
    sequence: int = 0

    @classmethod
    def from_cursor(cls, cursor: str | None) -> DownloadState:
        if not cursor:
            return cls()
        data = json.loads(cursor)
        return cls(data["loaded"], data["pending"], data["sequence"])

    def to_cursor(self) -> str:
        return json.dumps(
            {"loaded": self.loaded, "pending": self.pending, "sequence": self.sequence},
            sort_keys=True,
        )

    def advance(self, observation: Observation) -> list[Trigger]:
        """Take in one look; return the runs to start, one per publisher with stable changes."""
        changes: dict[str, list[str]] = {}
        pending: dict[str, str] = {}
        for key, fingerprint in observation.files.items():
            if self.loaded.get(key) == fingerprint:
                continue
            if self.pending.get(key) == fingerprint:
                self.loaded[key] = fingerprint
                changes.setdefault(_publisher(key), []).append(f"{key}@{fingerprint}")
            else:
                pending[key] = fingerprint
        for key in sorted(set(self.loaded) - set(observation.files)):
            del self.loaded[key]
            changes.setdefault(_publisher(key), []).append(f"{key} removed")
        self.pending = pending
        if not changes:
            return []
        self.sequence += 1
        return [
            Trigger(publisher, sorted(found), _run_key(publisher, self.sequence, found))
            for publisher, found in sorted(changes.items())
        ]


def _publisher(key: str) -> str:
    return key.split("/", 1)[0]


def _run_key(publisher: str, sequence: int, changes: list[str]) -> str:
    digest = hashlib.sha1("\n".join(sorted(changes)).encode()).hexdigest()[:12]
    return f"raw-download-{publisher}-{sequence}-{digest}"
