"""The web server of ``paper-reader serve``: textual-serve's, fitted to a command line tool.

textual-serve (an optional extra) serves xterm.js and its assets from the package itself and
runs one reader process per browser session. On top of it:

- a one-line start-up message and warnings-only logging, not its banner and access log;
- its page takes the web font from the package's own files, not from Google Fonts, so the
  page loads nothing from anywhere but this server;
- the page's websocket and asset addresses follow the address the browser used, so a server
  listening on 0.0.0.0 or ::1 works from the browser's side;
- a websocket opened by another site's page, or through a name that does not lead to this
  machine while it listens on loopback only, is refused: any page the user visits could
  otherwise drive a reader on localhost and read and change the marks;
- on ctrl+c the open sessions' readers are told to quit (they write their marks) and are
  waited for, a few seconds at most, instead of aiohttp's minute-long wait for open
  websockets; each reader process is reaped before the server's loop closes;
- the address is announced once it is listened on, not before (a port in use is an error
  without a "serving on" line first).
"""

from __future__ import annotations

import asyncio
import logging
import re
import signal
import sys
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from reader.web.launch import is_loopback, page_url

SESSION_GRACE = 5.0  # seconds the open sessions' readers get to quit when the server stops
CLOSE_WAIT = 1.0  # seconds a browser gets to answer the websocket's close

log = logging.getLogger("paper-reader serve")


_REMOTE_FONT = re.compile(r"<link[^>]*?href=\"https://fonts\.googleapis\.com/[^\"]*\"[^>]*>", re.DOTALL)
_LOCAL_FONT = "\n".join(
    f"<style>@font-face {{ font-family: 'Roboto Mono'; font-style: {style}; font-weight: 100 700;"
    f" src: url('{{{{ config.static.url }}}}fonts/{name}') format('truetype'); }}</style>"
    for style, name in (("normal", "RobotoMono-VariableFont_wght.ttf"),
                        ("italic", "RobotoMono-Italic-VariableFont_wght.ttf"))
)


class _LocalFontPages(jinja2.BaseLoader):
    """textual-serve's templates, with the Google Fonts stylesheet swapped for the same font
    from textual-serve's own static files."""

    def __init__(self, inner: jinja2.BaseLoader) -> None:
        self._inner = inner

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Any]:
        source, filename, uptodate = self._inner.get_source(environment, template)
        return _REMOTE_FONT.sub(_LOCAL_FONT, source), filename, uptodate


def _host_name(authority: str) -> str:
    """The host part of a ``host[:port]`` authority, without IPv6 brackets, lower case."""
    return (urlsplit(f"//{authority}").hostname or "").lower()


class _Session(AppService):
    """One browser session's reader process, waited for (reaped) when it stops."""

    async def stop(self) -> None:
        await super().stop()
        if self._process is not None:
            await self._process.wait()

    def kill(self) -> None:
        if self._process is not None and self._process.returncode is None:
            self._process.kill()


class ReaderServer(Server):
    """textual-serve's ``Server`` running ``command`` for each browser session."""

    def __init__(self, command: str, host: str, port: int, announce: Callable[[str], None]) -> None:
        super().__init__(command, host=host, port=port, title="paper-reader")
        self._announce = announce
        self._loopback_only = is_loopback(host)
        self._sessions: set[_Session] = set()

    def initialize_logging(self) -> None:
        logging.basicConfig(level=logging.WARNING, format="paper-reader serve: %(message)s",
                            stream=sys.stderr)

    def serve(self, debug: bool = False) -> None:
        """textual-serve's ``serve``, saying where it listens only once it does, on a loop of
        its own, without an access log."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, self.request_exit)
        except NotImplementedError:
            pass  # Windows: ctrl+c arrives as KeyboardInterrupt, which run_app takes as a stop
        web.run_app(self._make_app(), host=self.host, port=self.port, loop=loop, handle_signals=False,
                    shutdown_timeout=SESSION_GRACE, access_log=None,
                    print=lambda *_: self._announce(page_url(self.host, self.port)))

    async def on_startup(self, app: web.Application) -> None:
        environment = aiohttp_jinja2.get_env(app)
        assert environment.loader is not None
        environment.loader = _LocalFontPages(environment.loader)

    async def on_shutdown(self, app: web.Application) -> None:
        """Tell every session's reader to quit, as closing its tab would; kill the ones that
        have not quit after ``SESSION_GRACE``."""
        sessions = list(self._sessions)
        if not sessions:
            return
        stopping = [asyncio.create_task(session.stop()) for session in sessions]
        _, late = await asyncio.wait(stopping, timeout=SESSION_GRACE)
        if late:
            for session in sessions:
                session.kill()
            await asyncio.wait(late, timeout=1)

    def refusal(self, request: web.Request) -> str | None:
        """Why ``request`` may not reach a reader, or None when it may."""
        if self._loopback_only and not is_loopback(_host_name(request.host)):
            return "this server answers to this machine's own addresses only"
        origin = request.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc.lower() != request.host.lower():
            return "a page from another site may not open a reader here"
        return None

    async def handle_index(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        if (why := self.refusal(request)) is not None:
            raise web.HTTPForbidden(text=why)
        # textual-serve builds the page's addresses from ``public_url``; nothing is awaited
        # between setting it and the page being rendered, so requests cannot mix them up.
        self.public_url = f"{request.scheme}://{request.host}"
        return await super().handle_index(request)  # type: ignore[no-any-return]

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's session handler, with the sessions kept for ``on_shutdown``."""
        if (why := self.refusal(request)) is not None:
            raise web.HTTPForbidden(text=why)
        websocket = web.WebSocketResponse(heartbeat=15, timeout=CLOSE_WAIT)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        await websocket.prepare(request)
        session = _Session(self.command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                           close=websocket.close, download_manager=self.download_manager, debug=self.debug)
        self._sessions.add(session)
        try:
            await session.start(width, height)
            await self._process_messages(websocket, session)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # one broken session must not stop the others
            log.error("a browser session failed: %s", error)
        finally:
            self._sessions.discard(session)
            await session.stop()
        return websocket


def serve(command: str, host: str, port: int, announce: Callable[[str], None]) -> None:
    """Serve until ctrl+c or SIGTERM; ``announce`` gets the page's address once it is listened
    on. Raises ``OSError`` when ``host:port`` cannot be listened on."""
    ReaderServer(command, host, port, announce).serve()
