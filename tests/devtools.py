"""Headless Chromium of the test's own, driven over its DevTools protocol with aiohttp's
websocket client: open a page, run JavaScript in it, type keys as a person would."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--remote-debugging-port=0",
)


def chromium_missing() -> bool:
    return not Path(CHROMIUM).exists()


class Page:
    """One tab, through its DevTools websocket. Events that arrive between answers are dropped."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self._socket = socket
        self._last_id = 0

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self._last_id += 1
        wanted = self._last_id
        await self._socket.send_json({"id": wanted, "method": method, "params": params})
        while True:
            message = await asyncio.wait_for(self._socket.receive(), timeout=30)
            if message.type != aiohttp.WSMsgType.TEXT:
                raise AssertionError(f"DevTools closed the page's socket during {method}: {message}")
            answer = json.loads(message.data)
            if answer.get("id") == wanted:
                if "error" in answer:
                    raise AssertionError(f"{method} failed: {answer['error']}")
                return answer["result"]  # type: ignore[no-any-return]

    async def evaluate(self, expression: str) -> Any:
        """The value of ``expression`` in the page (a promise is awaited)."""
        done = await self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                               awaitPromise=True)
        if "exceptionDetails" in done:
            raise AssertionError(f"{expression!r} threw: {done['exceptionDetails']}")
        return done["result"].get("value")

    async def press(self, key: str) -> None:
        """Type one printable character, with shift for a capital."""
        code = f"Key{key.upper()}" if key.isalpha() else ""
        common = {"key": key, "code": code, "windowsVirtualKeyCode": ord(key.upper()),
                  "modifiers": 8 if key.isupper() else 0}
        await self.call("Input.dispatchKeyEvent", type="keyDown", text=key, **common)
        await self.call("Input.dispatchKeyEvent", type="keyUp", **common)


class Chromium:
    """``async with Chromium(profile) as browser``: a headless Chromium whose profile (and
    DevTools port file) lives in ``profile``; it is ended on exit."""

    def __init__(self, profile: Path) -> None:
        self.profile = profile
        self._process: subprocess.Popen[bytes] | None = None
        self._http: aiohttp.ClientSession | None = None
        self._port = 0

    async def __aenter__(self) -> Chromium:
        self.profile.mkdir(parents=True, exist_ok=True)
        self._process = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self._port = await self._devtools_port()
        self._http = aiohttp.ClientSession()
        return self

    async def _devtools_port(self) -> int:
        """Chromium writes the port it chose, then a newline and the browser's path."""
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self._process is not None and self._process.poll() is None, "chromium exited"
            lines = port_file.read_text().splitlines() if port_file.exists() else []
            if len(lines) >= 2:
                return int(lines[0])
            await asyncio.sleep(0.05)
        raise AssertionError(f"chromium wrote no {port_file} in 30 s")

    async def first_page(self) -> Page:
        """The tab Chromium opened at start."""
        assert self._http is not None
        async with self._http.get(f"http://127.0.0.1:{self._port}/json/list") as answer:
            targets = await answer.json()
        tab = next(target for target in targets if target["type"] == "page")
        socket = await self._http.ws_connect(tab["webSocketDebuggerUrl"], max_msg_size=0)
        return Page(socket)

    async def __aexit__(self, *exc: object) -> None:
        if self._http is not None:
            await self._http.close()
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
