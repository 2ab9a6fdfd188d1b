"""End to end, as a person uses it: the installed `paper-reader` in tmux, typed at, then exported."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is installed by .ci/run")

READER = Path(sys.executable).parent / "paper-reader"
HONESTY = "Alignment for Honesty"
HONESTY_CODE = "https://github.com/GAIR-NLP/alignment-for-honesty"


class Tmux:
    """One tmux server of our own (its own socket), one window running a command."""

    def __init__(self, tmp_path: Path, width: int, height: int) -> None:
        self.socket = f"paper-reader-test-{uuid.uuid4().hex[:8]}"
        self.width, self.height = width, height
        self.env = {
            **os.environ,
            "TERM": "xterm-256color",
            "PAPER_READER_DATA_DIR": os.environ["PAPER_READER_DATA_DIR"],
            "PAPER_READER_BASE_URL": os.environ["PAPER_READER_BASE_URL"],
        }

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True, text=True, env=self.env, timeout=20,
        )
        return done.stdout

    def start(self, command: str) -> None:
        self.tmux("new-session", "-d", "-s", "e2e", "-x", str(self.width), "-y", str(self.height),
                  f"{command}; echo READER-EXITED-$?; sleep 600")
        self.tmux("set-option", "-g", "set-clipboard", "on")

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "e2e")

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never showed; the screen was:\n{self.screen()}")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", "e2e", *(["-l"] if literal else []), *keys)
        time.sleep(0.3)

    def close(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def tmux_factory(tmp_path: Path):
    made: list[Tmux] = []

    def make(width: int, height: int) -> Tmux:
        made.append(Tmux(tmp_path, width, height))
        return made[-1]

    yield make
    for t in made:
        t.close()


def row_of(screen: str, title: str) -> str:
    """The list pane's row for ``title`` (the abstract pane beside it may show the title too)."""
    lefts = (line.split("││")[0] for line in screen.splitlines())
    return next(left for left in lefts if title in left and left.rstrip().endswith(("│", "</>")))


@pytest.mark.parametrize("width, height", [(120, 40), (80, 24)])
def test_search_open_bookmark_quit_then_export_and_restart(tmux_factory, width: int, height: int, data_dir: Path) -> None:
    term = tmux_factory(width, height)
    term.start(f"{READER} --sample")
    term.wait_for("31 papers")
    term.keys("/")
    term.keys("honesty", literal=True)
    term.wait_for("1 of 31 match")
    term.keys("Enter")
    term.keys("Enter")
    term.wait_for("read")
    term.keys("b")
    term.keys("q")
    term.wait_for("READER-EXITED-0")

    exported = subprocess.run(
        [str(READER), "export", "--bookmarked", "--format", "json"],
        capture_output=True, text=True, env=term.env, timeout=60,
    )
    assert exported.returncode == 0, exported.stderr
    papers = json.loads(exported.stdout)
    assert [(p["title"], p["read"], p["bookmarked"]) for p in papers] == [(HONESTY, True, True)]

    again = tmux_factory(width, height)
    again.start(f"{READER} --sample")
    screen = again.wait_for("30 unread")
    assert "1 ★" in screen
    again.keys("G")
    row = row_of(again.wait_for(HONESTY), HONESTY)
    assert "★" in row and "●" not in row, row


def test_c_puts_the_code_link_in_tmux_paste_buffer(tmux_factory, data_dir: Path) -> None:
    term = tmux_factory(120, 40)
    term.start(f"{READER} --sample")
    term.wait_for("31 papers")
    term.keys("G")
    term.keys("c")
    term.wait_for("Copied")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and term.tmux("show-buffer").strip() != HONESTY_CODE:
        time.sleep(0.2)
    assert term.tmux("show-buffer").strip() == HONESTY_CODE
    term.keys("q")
    term.wait_for("READER-EXITED-0")


def test_every_view_in_turn_then_a_period_a_search_an_order_and_marks(tmux_factory, data_dir: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.httpserver import FixtureServer
    from test_app_views import daily_route, search_route

    with FixtureServer({"/api/daily_papers": daily_route, "/api/papers/search": search_route}) as server:
        monkeypatch.setenv("PAPER_READER_BASE_URL", server.url)
        term = tmux_factory(120, 40)
        term.start(f"{READER} --date 2025-03-18")
        term.wait_for("Day Three")
        for key, shows in (("2", "Week Paper 5"), ("3", "Month Paper 4"), ("4", "Trending Paper"),
                           ("5", "Library · every paper seen"), ("1", "Daily papers")):
            term.keys(key)
            term.wait_for(shows)
        term.keys(":")
        term.keys("2025-W12", literal=True)
        term.keys("Enter")
        term.wait_for("Week Twelve Paper")
        term.keys("S")
        term.keys("alignment", literal=True)
        term.keys("Enter")
        screen = term.wait_for("Searched Paper About Alignment")
        assert "6 Search" in screen
        term.keys("1")
        term.keys("s")
        screen = term.wait_for("order: most upvoted")
        rows = [line for line in screen.splitlines() if "Day " in line.split("││")[0]]
        assert ["Day Two" in rows[0], "Day Three" in rows[1], "Day One" in rows[2]] == [True] * 3, rows
        term.keys("A")
        term.wait_for("0 unread")
        term.keys("z")
        term.wait_for("3 unread")
        term.keys("k", "r")  # the cursor stayed on Day One, now last: one up is Day Three
        term.wait_for("2 unread")
        term.keys("q")
        term.wait_for("READER-EXITED-0")

    exported = subprocess.run([str(READER), "export", "--offline", "--read", "--format", "json"],
                              capture_output=True, text=True, env=term.env, timeout=60)
    assert exported.returncode == 0, exported.stderr
    assert [p["title"] for p in json.loads(exported.stdout)] == ["Day Three"]
