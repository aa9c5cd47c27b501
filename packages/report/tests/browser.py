"""A real headless browser for tests of what a person looks at: Debian's Chromium driven by
Playwright, with every request that would leave this machine blocked and recorded.

Playwright's own browser download is not reachable here, so it drives the system Chromium
(`apt-get install -y chromium`; `.ci/run` installs it when it is missing)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Route, sync_playwright

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
class WatchedPage:
    """A page with what went wrong on it: console errors and warnings, uncaught exceptions and
    requests to anywhere but this machine (those are aborted, so a test never waits on them)."""

    page: Page
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            self.console
            + [f"page error: {error}" for error in self.errors]
            + [f"request leaving the machine: {url}" for url in self.outside_requests]
        )


@contextmanager
def watched_page(browser: Browser, **context_options: object) -> Iterator[WatchedPage]:
    context = browser.new_context(**context_options)
    page = context.new_page()
    watched = WatchedPage(page)

    def on_console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            watched.console.append(f"console {message.type}: {message.text}")

    def on_route(route: Route, request: Request) -> None:
        if is_local(request.url):
            route.continue_()
        else:
            watched.outside_requests.append(request.url)
            route.abort()

    page.on("console", on_console)
    page.on("pageerror", lambda error: watched.errors.append(str(error)))
    context.route("**/*", on_route)
    try:
        yield watched
    finally:
        context.close()
