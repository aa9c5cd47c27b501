"""The transfer: stream to `<file>.part`, resume with HTTP Range, verify, rename into place.

Each link is tried in turn (official links, then mirrors). On one link, transient faults
(connection reset or cut, timeouts, HTTP 5xx) are retried with exponential backoff; a count of
consecutive attempts that moved no bytes bounds the retries. A server that ignores Range (200
instead of 206) restarts the file. Size and sha256, where known, are checked before `os.replace`,
so the landing folder only ever holds whole, verified files under their published names.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import ssl
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Self

import httpx
from rich.filesize import decimal

from ingestion.catalogue import Release
from ingestion.download.failures import (
    DiskFull,
    DownloadError,
    LinkFailed,
    all_links_failed,
    host,
    refused,
    tls_failed,
)
from ingestion.download.progress import Reporter

CHUNK = 1 << 20
MAX_DELAY_S = 60.0
# an approximate size may be off; a file far from it is another file (or an error page)
APPROX_TOLERANCE = 2.0
# headroom on an approximate size for the free-space check
APPROX_HEADROOM = 1.1
TRANSIENT_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
_TRANSIENT_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def http_client(ca_bundle: Path | None = None, timeout_s: float = 60.0) -> httpx.Client:
    """The client every download uses: redirects followed, certificates always verified (against
    certifi's roots plus `ca_bundle`, for a server whose chain Python cannot complete)."""
    context = httpx.create_ssl_context()
    if ca_bundle is not None:
        context.load_verify_locations(cafile=ca_bundle)
    return httpx.Client(
        verify=context,
        follow_redirects=True,
        timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 30.0)),
        headers={"User-Agent": "newsrec-download"},
    )


class _Transient(Exception):
    """A fault worth another attempt on the same link."""


@dataclass
class Downloader:
    """Downloads releases with one HTTP client. `tokens` maps a host to a bearer token sent only
    to that host (e.g. `huggingface.co` for its gated copy of MIND)."""

    client: httpx.Client
    reporter: Reporter
    retries: int = 5
    backoff_s: float = 1.0
    tokens: Mapping[str, str] = field(default_factory=dict)
    sleep: Callable[[float], None] = time.sleep
    _warned: set[str] = field(default_factory=set, init=False, repr=False)

    def fetch(self, release: Release, landing: Path, urls: Iterable[str] | None = None) -> Path:
        """Download `release` into the folder `landing`; return the final path. A file already
        there is kept as it is. Raises `DownloadError` with what to do."""
        target = landing / release.file
        if target.exists():
            return target
        landing.mkdir(parents=True, exist_ok=True)
        part = landing / f"{release.file}.part"
        links = list(urls) if urls is not None else list(release.links)
        if not links:
            raise DownloadError(f"{release.file}: no link is known; pass one with --url")
        expected = release.size_bytes or int(release.approx_bytes * APPROX_HEADROOM)
        check_disk(landing, expected - _size(part), release.file)
        failures: list[LinkFailed] = []
        for index, url in enumerate(links):
            try:
                self._from_link(release, url, part)
            except LinkFailed as failure:
                failures.append(failure)
                if index + 1 < len(links):
                    self.reporter.note(f"{failure}; trying the next link")
                continue
            os.replace(part, target)
            return target
        raise all_links_failed(release, failures, part)

    def _from_link(self, release: Release, url: str, part_path: Path) -> None:
        """One link, retried on transient faults; leaves a verified `.part` behind."""
        failures = 0
        with PartFile(part_path, hashing=release.sha256 is not None) as part:
            while True:
                before = part.size
                try:
                    self._attempt(release, url, part)
                    break
                except _Transient as error:
                    failures = 1 if part.size > before else failures + 1
                    if failures > self.retries:
                        retries = "retry" if self.retries == 1 else "retries"
                        raise LinkFailed(
                            url,
                            f"{error}; gave up after {self.retries} {retries} without progress: "
                            "check the network, then run again to resume",
                        ) from error
                    delay = min(self.backoff_s * 2 ** (failures - 1), MAX_DELAY_S)
                    self.reporter.note(
                        f"{release.file}: {error}; retrying in {delay:g} s "
                        f"({failures} of {self.retries} retries)"
                    )
                    self.sleep(delay)
            self._verify(release, url, part)

    def _attempt(self, release: Release, url: str, part: PartFile) -> None:
        offset = part.size
        headers = {"Accept-Encoding": "identity", **self._auth(url)}
        if offset:
            headers["Range"] = f"bytes={offset}-"
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                if response.status_code == 416 and offset:
                    _unsatisfiable(response, part)
                    return
                total = self._accept(release, url, response, part, offset)
                self._receive(release, response, part, total)
        except httpx.ConnectError as error:
            cause = _ssl_cause(error)
            if cause is not None:
                raise tls_failed(release, url, cause) from error
            raise _Transient(f"cannot connect to {host(url)} ({error})") from error
        except _TRANSIENT_ERRORS as error:
            raise _Transient(
                f"connection to {host(url)} failed after {decimal(part.size)} "
                f"({error.__class__.__name__}: {error})"
            ) from error

    def _accept(
        self,
        release: Release,
        url: str,
        response: httpx.Response,
        part: PartFile,
        offset: int,
    ) -> int | None:
        """Check the response before any byte is written; return the file's total size."""
        status = response.status_code
        if status in TRANSIENT_STATUS or status >= 500:
            raise _Transient(f"HTTP {status} from {host(url)}")
        if status >= 400:
            raise refused(release, url, status)
        if status == 206:
            start, total = _content_range(response.headers.get("content-range"))
            if start != offset:
                part.reset()
                raise _Transient(f"the server resumed at byte {start}, not {offset}; restarting")
        elif status == 200:
            if offset:
                self.reporter.note(
                    f"{release.file}: the server ignored the Range request; starting from byte 0"
                )
                part.reset()
            length = response.headers.get("content-length")
            total = int(length) if length is not None else None
        else:
            raise LinkFailed(url, f"unexpected HTTP {status}")
        if response.headers.get("content-type", "").startswith("text/html"):
            raise LinkFailed(
                url,
                "the link answers with a web page, not the file: it may need a login or the "
                "licence form; open it in a browser",
            )
        if total is not None:
            self._check_total(release, url, total)
            check_disk(part.path.parent, total - part.size, release.file)
        return total

    def _check_total(self, release: Release, url: str, total: int) -> None:
        """An exact size must match. An approximate one only tells a wrong file: far from it,
        a catalogued link is refused, while a link the user gave is trusted with a warning."""
        if release.size_bytes is not None:
            if total != release.size_bytes:
                raise LinkFailed(
                    url,
                    f"the server's file has {total:,} bytes, the catalogue says "
                    f"{release.size_bytes:,}: the link is for another file, or the release changed",
                )
            return
        approx = release.approx_bytes
        if approx / APPROX_TOLERANCE <= total <= approx * APPROX_TOLERANCE:
            return
        differs = (
            f"the server's file has {decimal(total)}, {release.file} is about {release.approx_size}"
        )
        if url not in release.links:
            if url not in self._warned:
                self._warned.add(url)
                self.reporter.note(f"{release.file}: {differs}; downloading the link given")
            return
        raise LinkFailed(url, f"{differs}: the link is for another file")

    def _receive(
        self, release: Release, response: httpx.Response, part: PartFile, total: int | None
    ) -> None:
        self.reporter.start(release.file, total, part.size)
        try:
            for chunk in response.iter_raw():
                part.write(chunk)
                self.reporter.advance(len(chunk))
        finally:
            self.reporter.stop()
        if total is not None and part.size < total:
            raise _Transient(f"the connection closed after {part.size:,} of {total:,} bytes")

    def _verify(self, release: Release, url: str, part: PartFile) -> None:
        """Size and sha256 before the rename; a file that fails is deleted (resuming it cannot
        mend it) and the next link is tried."""
        digest = part.finish()
        problem = None
        if release.size_bytes is not None and part.size != release.size_bytes:
            problem = f"has {part.size:,} bytes, the catalogue says {release.size_bytes:,}"
        elif release.sha256 and digest and not digest.startswith(release.sha256):
            problem = f"has sha256 {digest}, the catalogue says {release.sha256}"
        if problem:
            part.discard()
            raise LinkFailed(
                url,
                f"the download {problem}: deleted it; run again, and if it fails the same way "
                "the published file has changed",
            )

    def _auth(self, url: str) -> dict[str, str]:
        name = host(url)
        for token_host, token in self.tokens.items():
            if name == token_host or name.endswith(f".{token_host}"):
                return {"Authorization": f"Bearer {token}"}
        return {}


class PartFile:
    """The `.part` file being written, with a running sha256 of everything in it."""

    def __init__(self, path: Path, hashing: bool) -> None:
        self.path = path
        self._hashing = hashing
        self._file: BinaryIO = path.open("ab")
        self.size = self._file.tell()
        self._hash = self._rehash() if hashing else None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Close; an empty `.part` is removed, so a refused link leaves nothing behind."""
        self._file.close()
        if self.size == 0:
            self.path.unlink(missing_ok=True)

    def write(self, chunk: bytes) -> None:
        try:
            self._file.write(chunk)
        except OSError as error:
            if error.errno == errno.ENOSPC:
                raise DiskFull(
                    f"{self.path.name}: the disk filled up after {decimal(self.size)}: free "
                    "space (or use --to DIR on a larger disk), then run again to resume"
                ) from error
            raise
        self.size += len(chunk)
        if self._hash is not None:
            self._hash.update(chunk)

    def reset(self) -> None:
        self._file.seek(0)
        self._file.truncate()
        self.size = 0
        self._hash = hashlib.sha256() if self._hashing else None

    def finish(self) -> str | None:
        """Flush to disk; the hex sha256 when hashing."""
        self._file.flush()
        os.fsync(self._file.fileno())
        return self._hash.hexdigest() if self._hash is not None else None

    def discard(self) -> None:
        self._file.close()
        self.path.unlink(missing_ok=True)

    def _rehash(self) -> hashlib._Hash:
        digest = hashlib.sha256()
        with self.path.open("rb") as existing:
            while block := existing.read(CHUNK):
                digest.update(block)
        return digest


def check_disk(folder: Path, needed: int, name: str) -> None:
    """Refuse to start when the disk cannot hold what is left to download."""
    free = shutil.disk_usage(folder).free
    if needed > free:
        raise DiskFull(
            f"{name}: needs {decimal(needed)} more, only {decimal(free)} free in {folder}: "
            "free space, or use --to DIR on a larger disk"
        )


def _content_range(value: str | None) -> tuple[int, int | None]:
    """`bytes 100-999/1000` → (100, 1000); the total may be `*`."""
    try:
        unit, _, spec = (value or "").partition(" ")
        span, _, total = spec.partition("/")
        start = int(span.split("-")[0])
        if unit != "bytes":
            raise ValueError(unit)
    except ValueError as error:
        raise _Transient(f"the server's Content-Range {value!r} cannot be read") from error
    return start, None if total in ("", "*") else int(total)


def _unsatisfiable(response: httpx.Response, part: PartFile) -> None:
    """HTTP 416 to a Range request: the `.part` is either whole already (its size is the
    total in `bytes */<total>`) or does not belong to this file, and then it starts again."""
    total = response.headers.get("content-range", "").rpartition("/")[2]
    if total.isdigit() and int(total) == part.size:
        return
    part.reset()
    raise _Transient(f"{part.path.name} does not fit the file on the server; starting again")


def _ssl_cause(error: BaseException) -> ssl.SSLError | None:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0
