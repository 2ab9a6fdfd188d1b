"""A real HTTP server on 127.0.0.1 for tests, serving canned answers that can misbehave.

Tests point ``LiveSource(base_url=server.url)`` at it, so the whole HTTP path (sockets,
timeouts, headers, truncated bodies) is exercised without mocking the client.

Routes map a path (no query) to a ``Reply`` or to a function of the ``Recorded`` request
returning one; every request is recorded for assertions.

    with FixtureServer({"/api/daily_papers": Reply.json([...])}) as server:
        ...
        assert server.requests[0].params == {"date": "2025-03-18", ...}
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Recorded:
    """One request as the server saw it."""

    path: str
    params: dict[str, str]
    headers: dict[str, str]
    target: str


@dataclass
class Reply:
    """A canned answer, and how to misbehave while sending it.

    ``delay``: seconds to wait before the status line (a slow server).
    ``stall_after``: send headers and this many body bytes, then hang (until shutdown).
    ``trickle``: send the body one byte every this many seconds.
    ``close_after``: send headers and this many body bytes, then drop the connection
    (``0`` with ``close_before_headers`` drops it before any byte).
    """

    status: int = 200
    body: bytes = b""
    headers: dict[str, str | None] = field(default_factory=dict)
    delay: float = 0.0
    stall_after: int | None = None
    trickle: float | None = None
    close_after: int | None = None
    close_before_headers: bool = False

    @classmethod
    def json(cls, data: Any, status: int = 200, **kw: Any) -> Reply:
        return cls._typed(json.dumps(data).encode(), "application/json", status, kw)

    @classmethod
    def html(cls, text: str, status: int = 200, **kw: Any) -> Reply:
        return cls._typed(text.encode(), "text/html", status, kw)

    @classmethod
    def text(cls, text: str, status: int = 200, content_type: str = "text/plain", **kw: Any) -> Reply:
        return cls._typed(text.encode(), content_type, status, kw)

    @classmethod
    def _typed(cls, body: bytes, content_type: str, status: int, kw: dict[str, Any]) -> Reply:
        headers = {"Content-Type": f"{content_type}; charset=utf-8", **kw.pop("headers", {})}
        return cls(status, body, headers, **kw)


Route = Reply | Callable[[Recorded], Reply]
NOT_FOUND = Reply.text("Not Found", 404)


class FixtureServer:
    """ThreadingHTTPServer on a free port of 127.0.0.1, in a daemon thread."""

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[Recorded] = []
        self.release = threading.Event()  # frees stalled handlers at shutdown
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def host(self) -> str:
        return self.url.removeprefix("http://")

    def start(self) -> FixtureServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def reply_for(self, request: Recorded) -> Reply:
        route = self.routes.get(request.path, NOT_FOUND)
        return route(request) if callable(route) else route


def _handler_for(server: FixtureServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # small writes otherwise wait for delayed ACKs

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:
            split = urlsplit(self.path)
            recorded = Recorded(
                path=split.path,
                params=dict(parse_qsl(split.query, keep_blank_values=True)),
                headers={k.lower(): v for k, v in self.headers.items()},
                target=self.path,
            )
            server.requests.append(recorded)
            self._send(server.reply_for(recorded))

        def _send(self, reply: Reply) -> None:
            if reply.delay and server.release.wait(reply.delay):
                return
            if reply.close_before_headers:
                self._drop()
                return
            self.send_response(reply.status)
            headers = {"Content-Length": str(len(reply.body)), **reply.headers}
            for name, value in headers.items():
                if value is not None:  # None drops a header: no Content-Length = read to close
                    self.send_header(name, value)
            if headers["Content-Length"] is None:
                self.close_connection = True
            self.end_headers()
            body = reply.body
            if reply.stall_after is not None:
                self._write(body[: reply.stall_after])
                server.release.wait(60)
                self.close_connection = True
                return
            if reply.close_after is not None:
                self._write(body[: reply.close_after])
                self._drop()
                return
            if reply.trickle is not None:
                for i in range(len(body)):
                    if server.release.wait(reply.trickle) or not self._write(body[i : i + 1]):
                        return
                return
            self._write(body)

        def _write(self, data: bytes) -> bool:
            try:
                self.wfile.write(data)
                self.wfile.flush()
            except OSError:  # the client gave up (a timeout under test): fine
                self.close_connection = True
                return False
            return True

        def _drop(self) -> None:
            """Close at once, with a reset rather than a clean end of stream."""
            self.close_connection = True
            try:
                self.wfile.flush()
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    return Handler


@pytest.fixture
def http_server() -> Iterator[FixtureServer]:
    """A running ``FixtureServer`` with no routes; tests fill ``server.routes``."""
    with FixtureServer() as server:
        yield server


def free_port() -> int:
    """A port nothing listens on (for "connection refused")."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fixture_json(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def elapsed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Run ``fn``; return (seconds taken, its exception or result)."""
    start = time.monotonic()
    try:
        outcome: Any = fn()
    except Exception as error:  # noqa: BLE001 - handed back for assertions
        outcome = error
    return time.monotonic() - start, outcome
