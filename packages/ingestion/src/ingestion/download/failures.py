"""Why a download failed, each with what to do about it.

A `LinkFailed` ends one link (the next mirror is tried); a `DownloadError` ends the release.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from urllib.parse import urlsplit

from rich.filesize import decimal

from ingestion.catalogue import Release

ADRESSA_HOST = "reclab.idi.ntnu.no"


class DownloadError(Exception):
    """A release that could not be downloaded; the message says what to do."""


class LinkFailed(DownloadError):
    """One link will not serve the file; another link of the release may."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class DiskFull(DownloadError):
    """Not enough free space; no other link can help."""


def host(url: str) -> str:
    return urlsplit(url).hostname or url


def refused(release: Release, url: str, status: int) -> LinkFailed:
    """The advice for an HTTP status that no retry can fix."""
    if status in (401, 403):
        if release.form:
            advice = (
                f"the link needs the licence form: links from {release.form} expire, so fill "
                "it in again and paste the new link with --url"
            )
        elif host(url) == "huggingface.co" or host(url).endswith(".huggingface.co"):
            advice = (
                "the Hugging Face copy is gated: accept its terms on the dataset page while "
                "logged in, then set HF_TOKEN to an access token"
            )
        else:
            advice = (
                "the link needs a licence form or a token: get a link that works and pass it "
                "with --url"
            )
    elif status in (404, 410):
        advice = "the link has moved"
    elif status == 409:
        advice = (
            "this is MIND's retired Azure host, whose public access is disabled"
            if _is_retired_azure(release, url)
            else "the server refuses the request (conflict)"
        )
    else:
        advice = "the server refuses the request"
    return LinkFailed(url, f"HTTP {status}: {advice}")


def tls_failed(release: Release, url: str, error: ssl.SSLError) -> LinkFailed:
    """Certificate verification failed. Verification is never turned off; say what to do."""
    parts = [f"TLS verification failed for {host(url)} ({error.__class__.__name__}: {error})"]
    if host(url) == ADRESSA_HOST:
        parts.append(f"Adressa's host {ADRESSA_HOST} is known to fail verification")
    parts.append(
        "pass the server's certificate chain with --ca-bundle FILE (PEM), or download the file "
        "with a browser into the landing folder"
    )
    if release.plain_http:
        checked = " (its sha256 is checked)" if release.sha256 else ""
        parts.append(
            f"it is also served unencrypted at {release.plain_http[0]}: pass that with --url "
            f"if you accept an unencrypted download{checked}"
        )
    return LinkFailed(url, "; ".join(parts))


def all_links_failed(release: Release, failures: list[LinkFailed], part: Path) -> DownloadError:
    """Every link failed: list each with its reason, then what is left to try."""
    lines = [f"{release.file}: no link worked:"]
    lines += [f"  - {failure}" for failure in failures]
    tried = {failure.url for failure in failures}
    others = [url for url in release.links if url not in tried]
    if others and tried.isdisjoint(release.links):
        lines.append(f"  without --url the catalogue's links are tried: {', '.join(others)}")
    elif others:
        lines.append(f"  the catalogue's other links: {', '.join(others)} (pass one with --url)")
    elif any("HTTP 404" in f.reason or "HTTP 410" in f.reason for f in failures):
        lines.append(
            "  every known link was tried: find the current one on the publisher's page "
            f"({release.form or release.licence.url}) and pass it with --url"
        )
    if any(_is_retired_azure(release, f.url) and "HTTP 409" in f.reason for f in failures):
        mirrors = ", ".join(release.links) or "none known"
        lines.append(f"  MIND's files are served from: {mirrors}")
    if part.exists() and part.stat().st_size:
        lines.append(
            f"  {decimal(part.stat().st_size)} are kept in {part.name}: "
            "the next run resumes from there"
        )
    return DownloadError("\n".join(lines))


def _is_retired_azure(release: Release, url: str) -> bool:
    """MIND's first host answers 409 since public access to it was disabled."""
    return url in release.retired or host(url).endswith(".blob.core.windows.net")
