"""A real headless browser for the Dagster UI tests: Debian's Chromium driven by Playwright (its own
browser download is not reachable here), with every request that would leave this machine
blocked and recorded. The launch arguments are the report package's, kept in step by hand."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, Request, Route, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_SCHEMES = {"file", "data", "blob", "about"}
LOCAL_HOSTS = {"127.0.0.1"}


@contextmanager
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        raise RuntimeError(f"no browser at {CHROMIUM}: install it (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or parts.hostname in LOCAL_HOSTS


@dataclass
class LocalPage:
    """A page that may reach only this machine; what it tried to reach elsewhere is kept."""

    page: Page
    errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)


@contextmanager
def local_page(browser: Browser, **context_options: object) -> Iterator[LocalPage]:
    context = browser.new_context(**context_options)
    page = context.new_page()
    watched = LocalPage(page)

    def on_route(route: Route, request: Request) -> None:
        if is_local(request.url):
            route.continue_()
        else:
            watched.outside_requests.append(request.url)
            route.abort()

    page.on("pageerror", lambda error: watched.errors.append(str(error)))
    context.route("**/*", on_route)
    try:
        yield watched
    finally:
        context.close()
