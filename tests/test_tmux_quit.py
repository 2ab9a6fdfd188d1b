"""Quitting while the network misbehaves: the installed reader in tmux against a stalling server.

`q` (and SIGTERM) must end the process within a second whatever a request in flight is
doing, stop the requests still to come, and still write the marks first.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.httpserver import FixtureServer, Recorded, Reply, fixture_json
from tests.test_tmux_e2e import READER, Tmux, pytestmark, tmux_factory  # noqa: F401 - the fixture

DAY = fixture_json("live-day.json")
FIRST_TITLE = DAY[0]["paper"]["title"]
QUIT_PROMISE = 1.0  # seconds from `q` to the process gone: the product's promise

MISBEHAVIOURS = {
    "silent": Reply(delay=120),  # accepts the connection, never answers
    "stalled": Reply.json(DAY, stall_after=10),  # headers and ten bytes, then nothing
    "trickling": Reply.json(DAY, trickle=1.0),  # a byte a second
}


def misbehaving(how: str):  # type: ignore[no-untyped-def]
    def route(request: Recorded) -> Reply:
        if request.params.get("date") == "2025-03-18":
            return Reply.json(DAY)
        return MISBEHAVIOURS[how]

    return route


@pytest.fixture
def stalling_server(request, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    routes = {"/api/daily_papers": misbehaving(request.param), "/papers/date/2025-03-19": MISBEHAVIOURS[request.param]}
    with FixtureServer(routes) as server:
        monkeypatch.setenv("PAPER_READER_BASE_URL", server.url)
        yield server


def reader_pid(term: Tmux) -> int:
    """The reader's process: the child of the pane's shell."""
    shell = term.tmux("display-message", "-p", "-t", "e2e", "#{pane_pid}").strip()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        children = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True).stdout.split()
        if children:
            return int(children[0])
        time.sleep(0.05)
    raise AssertionError("the reader never started")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie has ended; only its parent has not reaped it yet
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


def seconds_until_gone(pid: int, limit: float = 30.0) -> float:
    start = time.monotonic()
    while alive(pid) and time.monotonic() - start < limit:
        time.sleep(0.01)
    return time.monotonic() - start


def read_papers(env: dict[str, str]) -> list[str]:
    done = subprocess.run([str(READER), "export", "--offline", "--read", "--format", "json"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return [p["title"] for p in json.loads(done.stdout)]


def start_on_a_stalled_step(term: Tmux) -> int:
    """The reader on a good day, the first paper marked read, then `]` to a day that stalls."""
    term.start(f"{READER} --date 2025-03-18")
    pid = reader_pid(term)
    term.wait_for("18 Mar 2025")
    term.wait_for(FIRST_TITLE[:30])
    term.keys("r")
    term.keys("]")
    term.wait_for("loading")
    time.sleep(0.5)  # the request is in flight now
    return pid


@pytest.mark.parametrize("stalling_server", list(MISBEHAVIOURS), indirect=True)
def test_q_ends_the_reader_within_a_second_while_a_request_stalls(
        tmux_factory, stalling_server: FixtureServer, data_dir: Path) -> None:  # noqa: F811
    term = tmux_factory(120, 40)
    pid = start_on_a_stalled_step(term)
    asked = len(stalling_server.requests)
    term.tmux("send-keys", "-t", "e2e", "q")
    took = seconds_until_gone(pid)
    assert took < QUIT_PROMISE, f"the reader lived on {took:.1f} s after q"
    term.wait_for("READER-EXITED-0", timeout=5)
    time.sleep(1.0)
    assert len(stalling_server.requests) == asked, "requests went on after the reader quit"
    assert read_papers(term.env) == [FIRST_TITLE]


@pytest.mark.parametrize("stalling_server", ["silent"], indirect=True)
def test_sigterm_restores_the_terminal_and_writes_the_marks(
        tmux_factory, stalling_server: FixtureServer, data_dir: Path) -> None:  # noqa: F811
    term = tmux_factory(120, 40)
    pid = start_on_a_stalled_step(term)
    os.kill(pid, signal.SIGTERM)
    took = seconds_until_gone(pid)
    assert took < QUIT_PROMISE, f"the reader lived on {took:.1f} s after SIGTERM"
    screen = term.wait_for("READER-EXITED-", timeout=5)
    assert "READER-EXITED-0" in screen or "READER-EXITED-143" in screen, screen
    assert term.tmux("display-message", "-p", "-t", "e2e", "#{alternate_on}").strip() == "0"
    assert term.tmux("display-message", "-p", "-t", "e2e", "#{mouse_any_flag}").strip() == "0"
    assert FIRST_TITLE[:30] not in term.screen(), "the reader's screen was left behind"
    assert read_papers(term.env) == [FIRST_TITLE]
