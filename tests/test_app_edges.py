"""The reader at the edges: the calendar's ends, a base URL that is not one, keys while
the first list loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.cli import make_app
from tests.httpserver import FixtureServer, Reply, fixture_json

DAY = fixture_json("live-day.json")


async def settled(pilot):  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return pilot.app.screen


@pytest.mark.parametrize("option, value, key", [
    ("--date", "9998-12-31", "right_square_bracket"),
    ("--date", "0001-01-01", "left_square_bracket"),
    ("--week", "9998-W53", "right_square_bracket"),
    ("--week", "0001-W01", "left_square_bracket"),
    ("--month", "9998-12", "right_square_bracket"),
    ("--month", "0001-01", "left_square_bracket"),
])
async def test_stepping_past_the_calendar_says_so_and_changes_nothing(
        data_dir: Path, option: str, value: str, key: str) -> None:
    app = make_app([option, value, "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        title, period = screen.status.title, screen.session.listing.period
        await pilot.press(key)
        await settled(pilot)
        assert app.is_running
        assert screen.status.title == title and screen.session.listing.period == period
        told = [n.message for n in app._notifications]
        assert any(f"no {period.kind} " in message and "\n" not in message for message in told), told


async def test_a_base_url_that_is_not_one_is_an_offline_notice(data_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("PAPER_READER_BASE_URL", "http://[::1:8080")
    app = make_app(["--date", "2025-03-18", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        assert app.is_running
        assert screen.status.notice and "bad base URL 'http://[::1:8080'" in screen.status.notice
        assert len(screen.paper_list.papers) == 31  # the bundled sample, as when offline


async def test_escape_and_enter_leave_the_search_bar_during_the_first_load(data_dir: Path, monkeypatch) -> None:
    slow = lambda request: Reply.json(DAY, delay=1.5)  # noqa: E731
    with FixtureServer({"/api/daily_papers": slow}) as server:
        monkeypatch.setenv("PAPER_READER_BASE_URL", server.url)
        app = make_app(["--date", "2025-03-18", "--data-dir", str(data_dir)])
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert screen.status.loading and not screen.paper_list.papers
            await pilot.press("slash", "x", "escape")
            assert screen.focused is screen.paper_list, "escape left the focus in the search bar"
            assert screen.search_bar.value == ""
            await pilot.press("slash", "s", "p", "a", "r", "s", "e", "enter")
            assert screen.focused is screen.paper_list, "enter left the focus in the search bar"
            await settled(pilot)
            assert [p.title for p in screen.paper_list.papers] == [DAY[0]["paper"]["title"]]
            await pilot.press("slash", "escape")
            assert screen.focused is screen.paper_list and len(screen.paper_list.papers) == 3
            await pilot.press("j", "enter")
            assert screen.focused is screen.abstract
            assert screen.abstract.text.startswith(DAY[1]["paper"]["title"])
