"""End to end in a browser: `paper-reader serve` in a subprocess, the page in headless
Chromium driven over DevTools, keys typed at the terminal in the page, then exported."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devtools import Chromium, Page, chromium_missing
from reader.session import sample_papers
from serving import READER, Served

pytestmark = pytest.mark.skipif(chromium_missing(), reason="chromium is installed by .ci/run")

# Kept by the page before its scripts run: the xterm.js terminal (textual-serve's page keeps
# it as ``this.terminal`` of its own object, reachable from nowhere else), the links the page
# was asked to open, and the text it was asked to put on the clipboard.
PAGE_WATCH = """
window.__opened = [];
window.__copied = [];
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    window.__terminal = value;
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
  },
});
window.open = (url, target) => { window.__opened.push([url, target]); return null; };
if (navigator.clipboard) {
  navigator.clipboard.writeText = (text) => { window.__copied.push(text); return Promise.resolve(); };
}
"""

# Each row of the terminal: its text and the background of a cell inside the list pane.
ROWS = """(() => {
  const term = window.__terminal;
  if (!term) return null;
  const rows = [];
  for (let y = 0; y < term.rows; y++) {
    const line = term.buffer.active.getLine(y);
    const cell = line && line.getCell(6);
    rows.push([line ? line.translateToString(true) : "", cell ? cell.getBgColor() : -1]);
  }
  return rows;
})()"""

# What a server-side browser or clipboard tool would run; each records that it ran.
SERVER_SIDE_TOOLS = ("xdg-open", "sensible-browser", "x-www-browser", "firefox", "chromium-browser",
                     "xclip", "xsel", "wl-copy", "wl-paste", "pbcopy")


def _recording_tools(folder: Path) -> Path:
    folder.mkdir()
    log = folder / "ran.log"
    for name in SERVER_SIDE_TOOLS:
        tool = folder / name
        tool.write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\n')
        tool.chmod(0o755)
    return log


class Terminal:
    """The terminal drawn in the page, read through xterm.js's buffer."""

    def __init__(self, page: Page) -> None:
        self.page = page

    async def rows(self) -> list[tuple[str, int]]:
        return [tuple(row) for row in (await self.page.evaluate(ROWS) or [])]  # type: ignore[misc]

    async def text(self) -> str:
        return "\n".join(text for text, _ in await self.rows())

    async def wait(self, check: Callable[[list[tuple[str, int]]], object], what: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if check(await self.rows()):
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"{what} never showed; the page's terminal was:\n{await self.text()}")

    async def wait_for(self, text: str, timeout: float = 30) -> None:
        await self.wait(lambda rows: any(text in line for line, _ in rows), repr(text), timeout)

    async def wait_highlighted(self, title: str) -> None:
        """Until the list row whose background no other row of the list has shows ``title``
        (a frame may reach the page in parts: a row read mid-frame is read again)."""

        def highlighted(rows: list[tuple[str, int]]) -> bool:
            top = next((i for i, (line, _) in enumerate(rows) if line.startswith("╭─ Papers")), None)
            if top is None:
                return False
            bottom = next((i for i in range(top + 1, len(rows)) if rows[i][0].startswith("╰")), top)
            listed = rows[top + 1:bottom]
            lone = [line for line, bg in listed if sum(1 for _, other in listed if other == bg) == 1]
            return len(lone) == 1 and title in lone[0]

        await self.wait(highlighted, f"{title!r} highlighted", timeout=10)

    async def values(self, name: str, count: int, timeout: float = 10) -> list[object]:
        """``window.<name>`` once it holds ``count`` entries (what the page was asked so far)."""
        deadline = time.monotonic() + timeout
        while len(found := await self.page.evaluate(f"window.{name}")) < count and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        return found  # type: ignore[no-any-return]


@pytest.fixture
def served(tmp_path: Path, data_dir: Path) -> Iterator[tuple[Served, Path]]:
    """``paper-reader serve --sample``, with recording browser and clipboard tools first on
    its PATH and a display named, so a server-side copy or open would run one of them."""
    ran = _recording_tools(tmp_path / "tools")
    served = Served(["--sample", "--data-dir", str(data_dir)], env={
        "PATH": f"{ran.parent}{os.pathsep}{os.environ['PATH']}",
        "BROWSER": str(ran.parent / "xdg-open"),
        "WAYLAND_DISPLAY": "wayland-paper-reader-test",
    })
    yield served, ran
    served.stop()


async def test_read_bookmark_copy_and_open_in_a_browser_tab(served, tmp_path: Path, data_dir: Path) -> None:
    server, ran = served
    url = server.url
    first, second = sample_papers()[:2]
    assert first.code_url and not second.code_url

    async with Chromium(tmp_path / "chromium") as browser:
        page = await browser.first_page()
        await page.call("Page.enable")
        await page.call("Page.addScriptToEvaluateOnNewDocument", source=PAGE_WATCH)
        await page.call("Page.navigate", url=url)
        term = Terminal(page)
        await term.wait_for(first.title[:40])
        await term.wait_for("31 papers")
        await page.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
        await term.wait_highlighted(first.title[:40])

        await page.press("c")
        assert await term.values("__copied", 1) == [first.code_url]
        await term.wait_for("Copied code link through the browser")
        await page.press("O")
        assert await term.values("__opened", 1) == [[first.code_url, "_blank"]]
        await term.wait_for("Opened the code link")
        await page.press("j")
        await term.wait(lambda rows: any(second.title[:40] in line for line, _ in rows[10:]),
                        "the second paper's abstract")
        await term.wait_highlighted(second.title[:40])
        await page.press("y")
        assert await term.values("__copied", 2) == [first.code_url, second.hf_url]
        await term.wait_for("Copied Hugging Face")
        await page.press("o")
        assert await term.values("__opened", 2) == [[first.code_url, "_blank"], [second.hf_url, "_blank"]]
        await page.press("b")
        await term.wait_for("1 ★")

        resources = await page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
        assert resources and all(name.startswith(url) for name in resources), resources
        fonts = await page.evaluate(
            "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
        assert any("Roboto Mono" in family for family in fonts), fonts

        # Stopped with the tab still open: its reader is told to quit and writes the marks.
        status, err = server.interrupt(timeout=6)
    assert status == 0 and err == "", err
    assert not ran.exists(), f"a browser or clipboard tool ran on the server: {ran.read_text()}"

    exported = subprocess.run(
        [str(READER), "export", "--bookmarked", "--data-dir", str(data_dir)],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    assert exported.returncode == 0, exported.stderr
    assert [paper["title"] for paper in json.loads(exported.stdout)] == [second.title]
