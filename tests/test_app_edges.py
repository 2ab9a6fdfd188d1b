"""The reader at the edges: the calendar's ends, a base URL that is not one."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.cli import make_app


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
        title, period = screen.status.title, screen.listing.period
        await pilot.press(key)
        await settled(pilot)
        assert app.is_running
        assert screen.status.title == title and screen.listing.period == period
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
