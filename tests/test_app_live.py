"""Live lists in the reader, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from reader.cli import make_app
from reader.screens.main import MainScreen
from tests.httpserver import FixtureServer, Recorded, Reply, fixture_json

DAY = fixture_json("live-day.json")
DAY_TITLES = [item["paper"]["title"] for item in DAY]


def day_route(request: Recorded) -> Reply:
    """Papers for 2025-03-18, an empty list for any other day (like a weekend)."""
    return Reply.json(DAY if request.params.get("date") == "2025-03-18" else [])


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):
    with FixtureServer({"/api/daily_papers": day_route}) as server:
        monkeypatch.setenv("PAPER_READER_BASE_URL", server.url)
        yield server


async def settled(pilot) -> MainScreen:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return pilot.app.screen


def asked_dates(server: FixtureServer) -> list[str]:
    return [r.params.get("date", "") for r in server.requests if r.path == "/api/daily_papers"]


async def test_a_day_loads_live_and_brackets_step_days(server: FixtureServer, data_dir: Path) -> None:
    app = make_app(["--date", "2025-03-18", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        assert [p.title for p in screen.paper_list.papers] == DAY_TITLES
        assert "18 Mar 2025" in screen.status.title
        assert screen.status.notice is None
        await pilot.press("left_square_bracket")
        await settled(pilot)
        assert asked_dates(server)[-1] == "2025-03-17"
        assert "17 Mar 2025" in screen.status.title
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settled(pilot)
        assert asked_dates(server)[-1] == "2025-03-19"


async def test_R_fetches_the_list_again(server: FixtureServer, data_dir: Path) -> None:
    app = make_app(["--date", "2025-03-18", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        before = len(asked_dates(server))
        await pilot.press("R")
        await settled(pilot)
        assert len(asked_dates(server)) == before + 1


async def test_offline_the_saved_copy_is_shown_with_marks_and_a_notice(data_dir: Path, monkeypatch) -> None:
    with FixtureServer({"/api/daily_papers": day_route}) as server:
        monkeypatch.setenv("PAPER_READER_BASE_URL", server.url)
        app = make_app(["--date", "2025-03-18", "--data-dir", str(data_dir)])
        async with app.run_test(size=(120, 40)) as pilot:
            await settled(pilot)
            await pilot.press("b")
    # the server is gone now: the conftest's closed port stands in for the network
    monkeypatch.setenv("PAPER_READER_BASE_URL", server.url)
    app = make_app(["--date", "2025-03-18", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        assert [p.title for p in screen.paper_list.papers] == DAY_TITLES
        assert screen.status.notice and "offline" in screen.status.notice
        assert screen.store.mark(screen.paper_list.current).bookmarked
        assert any("offline" in n.message for n in app._notifications)


async def test_first_run_offline_shows_the_sample_and_says_so(data_dir: Path) -> None:
    app = make_app(["--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        assert len(screen.paper_list.papers) == 31
        assert screen.status.notice


async def test_keys_answer_while_a_slow_server_is_still_sending(data_dir: Path, monkeypatch) -> None:
    slow = lambda request: Reply.json(DAY, delay=2.0)  # noqa: E731
    with FixtureServer({"/api/daily_papers": slow}) as server:
        monkeypatch.setenv("PAPER_READER_BASE_URL", server.url)
        app = make_app(["--date", "2025-03-18", "--data-dir", str(data_dir)])
        async with app.run_test(size=(120, 40)) as pilot:
            started = time.monotonic()
            await pilot.pause()
            screen = app.screen
            assert screen.status.loading
            await pilot.press("slash")
            assert screen.focused is screen.search_bar
            await pilot.press("escape", "question_mark", "escape")
            assert time.monotonic() - started < 1.5, "keys waited for the network"
            await settled(pilot)
            assert not screen.status.loading
            assert [p.title for p in screen.paper_list.papers] == DAY_TITLES
