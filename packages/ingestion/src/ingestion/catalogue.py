"""The release catalogue: every public file of the three publishers, from `releases.toml`.

One data file holds the facts (links, sizes, checksums, licences, event envelopes), so the
downloader, the README's release table and the checks cannot disagree. A fact that is not known
is absent, never guessed.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files
from pathlib import PurePosixPath
from typing import Any

from ingestion.publishers import PUBLISHERS

CATALOGUE_FILE = "releases.toml"
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip")
_APPROX_SIZE = re.compile(r"^(\d+(?:\.\d+)?) (MB|GB)$")
# published sizes say "MB" and are probably MiB: the larger reading keeps the disk check safe
_UNITS = {"MB": 2**20, "GB": 2**30}
_SHA256 = re.compile(r"^[0-9a-f]{16,64}$")
_REQUIRED = ("publisher", "file", "approx_size", "licence", "first_event", "last_event")
_OPTIONAL = (
    "urls",
    "mirrors",
    "retired",
    "plain_http",
    "form",
    "size_bytes",
    "sha256",
    "impressions",
    "note",
)


class CatalogueError(ValueError):
    """The catalogue file itself is wrong: names the release and the key."""


class UnknownReleaseError(ValueError):
    """A release name that is not in the catalogue; the message lists the known names."""


@dataclass(frozen=True)
class Licence:
    key: str
    name: str
    url: str
    summary: str


@dataclass(frozen=True)
class Release:
    """One published file. `first_event`/`last_event` bound its impressions (UTC, inclusive)."""

    name: str
    publisher: str
    file: str
    licence: Licence
    approx_size: str
    first_event: datetime
    last_event: datetime
    urls: tuple[str, ...] = ()
    mirrors: tuple[str, ...] = ()
    retired: tuple[str, ...] = ()
    plain_http: tuple[str, ...] = ()
    form: str | None = None
    size_bytes: int | None = None
    sha256: str | None = None
    impressions: Mapping[str, int] = field(default_factory=dict, hash=False)
    note: str | None = None

    @property
    def stem(self) -> str:
        """The file name without its archive suffix: the loader's `dataset` (`MINDsmall_train`),
        and the folder name when the archive was extracted."""
        lower = self.file.lower()
        suffix = next((s for s in ARCHIVE_SUFFIXES if lower.endswith(s)), "")
        return self.file[: len(self.file) - len(suffix)]

    @property
    def approx_bytes(self) -> int:
        number, unit = _APPROX_SIZE.match(self.approx_size).groups()  # type: ignore[union-attr]
        return int(float(number) * _UNITS[unit])

    @property
    def links(self) -> tuple[str, ...]:
        """Every link tried by default: the official ones, then the mirrors."""
        return (*self.urls, *self.mirrors)

    def covers(self, when: datetime) -> bool:
        """Whether an event at `when` (aware) lies within this release's envelope."""
        return self.first_event <= when <= self.last_event


def releases() -> tuple[Release, ...]:
    """Every release, in catalogue order."""
    return _load_packaged()


def release(name: str) -> Release:
    for candidate in releases():
        if candidate.name == name:
            return candidate
    known = ", ".join(r.name for r in releases())
    raise UnknownReleaseError(f"unknown release {name!r}; known releases: {known}")


def release_for_file(path: str, publisher: str | None = None) -> Release | None:
    """The release a file in a landing folder belongs to, from its path relative to the folder:
    the archive as published (`MINDsmall_train.zip`) or anything inside the folder it extracts
    to (`MINDsmall_train/behaviors.tsv`). Loose files that several releases share (Adressa's
    daily files) belong to none."""
    parts = PurePosixPath(path).parts
    if not parts:
        return None
    top = parts[0].casefold()
    for candidate in releases():
        if publisher is not None and candidate.publisher != publisher:
            continue
        names = (candidate.file.casefold(), candidate.stem.casefold())
        if top == names[0] or (top == names[1] and len(parts) > 1):
            return candidate
    return None


def release_for_dataset(publisher: str, dataset: str) -> Release | None:
    """The release a `dataset` value of the warehouse comes from (`MINDsmall_train`,
    `ebnerd_small/validation`, `one_week`), or None when no release is called that."""
    stem = dataset.partition("/")[0].casefold()
    for candidate in releases():
        if candidate.publisher == publisher and candidate.stem.casefold() == stem:
            return candidate
    return None


def parse_catalogue(text: str) -> tuple[Release, ...]:
    """Releases from the text of a catalogue file, validated: a wrong file fails here by name."""
    data = tomllib.loads(text)
    licences = {
        key: Licence(key, entry["name"], entry["url"], entry["summary"])
        for key, entry in data.get("licences", {}).items()
    }
    parsed = tuple(
        _release(name, entry, licences) for name, entry in data.get("releases", {}).items()
    )
    seen: dict[str, str] = {}
    for item in parsed:
        other = seen.setdefault(item.file.casefold(), item.name)
        if other != item.name:
            raise CatalogueError(f"{item.name}: file {item.file} is also the file of {other}")
    return parsed


@cache
def _load_packaged() -> tuple[Release, ...]:
    return parse_catalogue(files("ingestion").joinpath(CATALOGUE_FILE).read_text("utf-8"))


def _release(name: str, entry: dict[str, Any], licences: dict[str, Licence]) -> Release:
    def fail(message: str) -> CatalogueError:
        return CatalogueError(f"release {name}: {message}")

    missing = [key for key in _REQUIRED if key not in entry]
    unknown = sorted(set(entry) - set(_REQUIRED) - set(_OPTIONAL))
    if missing or unknown:
        raise fail(f"missing {', '.join(missing) or '-'}; unknown keys {', '.join(unknown) or '-'}")
    if entry["publisher"] not in PUBLISHERS:
        raise fail(f"publisher {entry['publisher']!r} is not one of {', '.join(PUBLISHERS)}")
    if entry["licence"] not in licences:
        raise fail(f"licence {entry['licence']!r} is not in [licences]")
    if not _APPROX_SIZE.match(entry["approx_size"]):
        raise fail(f"approx_size {entry['approx_size']!r} is not '<number> MB|GB'")
    sha256 = entry.get("sha256")
    if sha256 is not None and not _SHA256.match(sha256):
        raise fail(f"sha256 {sha256!r} is not 16 to 64 lower-case hex digits")
    first, last = (_utc(fail, key, entry[key]) for key in ("first_event", "last_event"))
    if first > last:
        raise fail("first_event is after last_event")
    if not entry.get("urls") and not entry.get("form"):
        raise fail("needs urls, or the form that shows them")
    return Release(
        name=name,
        publisher=entry["publisher"],
        file=entry["file"],
        licence=licences[entry["licence"]],
        approx_size=entry["approx_size"],
        first_event=first,
        last_event=last,
        urls=tuple(entry.get("urls", ())),
        mirrors=tuple(entry.get("mirrors", ())),
        retired=tuple(entry.get("retired", ())),
        plain_http=tuple(entry.get("plain_http", ())),
        form=entry.get("form"),
        size_bytes=entry.get("size_bytes"),
        sha256=sha256,
        impressions=dict(entry.get("impressions", {})),
        note=entry.get("note"),
    )


def _utc(fail: Any, key: str, value: object) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise fail(f"{key} must be a date-time with a UTC offset, e.g. 2019-11-09T00:00:00Z")
    return value.astimezone(UTC)
