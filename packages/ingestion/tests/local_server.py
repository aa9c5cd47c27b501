"""A real HTTP server on 127.0.0.1 for the download tests: serves files with Range support and
misbehaves on request (cuts a response short, ignores Range, answers fixed statuses, wants a
token, speaks TLS with a test CA), and records every request it gets."""

from __future__ import annotations

import re
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_RANGE = re.compile(r"^bytes=(\d+)-$")


@dataclass
class Route:
    body: bytes = b""
    status: int = 200  # anything but 200 is answered as that status, without the file
    first: list[int] = field(default_factory=list)  # statuses answered first, one per request
    cut_after: int | None = None  # bytes of the body sent before the connection is dropped
    cuts: int = 1  # how many responses are cut short
    ranges: bool = True  # honour `Range: bytes=N-`
    content_type: str = "application/octet-stream"
    token: str | None = None  # the bearer token required, if any
    stalls: int = 0  # how many requests wait `stall_s` before answering
    stall_s: float = 0.0


@dataclass(frozen=True)
class Seen:
    path: str
    headers: dict[str, str]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up mid-response (a refused size, a web page) is expected here."""


class LocalServer:
    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", 0), _handler(self))
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self._scheme = "https" if tls is not None else "http"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    def serve(self, path: str, body: bytes = b"", **options: object) -> str:
        """Register `path` and return its URL."""
        self.routes[path] = Route(body=body, **options)  # type: ignore[arg-type]
        return self.url(path)

    def url(self, path: str) -> str:
        return f"{self._scheme}://127.0.0.1:{self._server.server_port}{path}"

    def seen(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path == path]

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _record(self, seen: Seen) -> None:
        with self._lock:
            self.requests.append(seen)


@contextmanager
def running(tls: ssl.SSLContext | None = None) -> Iterator[LocalServer]:
    server = LocalServer(tls).start()
    try:
        yield server
    finally:
        server.stop()


def _handler(owner: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the tests read `owner.requests` instead."""

        def do_GET(self) -> None:
            owner._record(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = owner.routes.get(self.path)
            if route is None:
                return self._empty(404)
            if route.stalls > 0:
                route.stalls -= 1
                time.sleep(route.stall_s)
            if route.first:
                return self._empty(route.first.pop(0))
            if route.status != 200:
                return self._empty(route.status)
            if route.token and self.headers.get("Authorization") != f"Bearer {route.token}":
                return self._empty(401)
            self._file(route)

        def _file(self, route: Route) -> None:
            body, status, extra = route.body, 200, {}
            match = _RANGE.match(self.headers.get("Range", "")) if route.ranges else None
            if match:
                start = int(match.group(1))
                if start >= len(body):
                    return self._empty(416, {"Content-Range": f"bytes */{len(body)}"})
                status = 206
                extra["Content-Range"] = f"bytes {start}-{len(body) - 1}/{len(body)}"
                body = body[start:]
            self.send_response(status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Accept-Ranges", "bytes" if route.ranges else "none")
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            if route.cut_after is not None and route.cuts > 0:
                route.cuts -= 1
                self.wfile.write(body[: route.cut_after])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(body)

        def _empty(self, status: int, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler
