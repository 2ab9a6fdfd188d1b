"""The Hub's models, datasets and Spaces in the reader, through Pilot against the real local
HTTP server: looked up once the cursor rests, shown in the pane and on the row, in the
links view and the has: filters, kept for offline, and a rate limit waited out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from httpserver import FixtureServer, Reply, fixture_json
from helpers.settling import until_idle
from reader.cli import make_app
from reader.screens.hub_actions import SETTLE
from reader.screens.main import MainScreen
from reader.screens.paper_links import LinksScreen
from test_artefacts import HOSTILE, details

DAY = fixture_json("api-daily-2025-03-18.json")  # 2503.14476 (DAPO) first, then 2503.14378, 2503.14125, …
DAPO, SECOND, THIRD = "2503.14476", "2503.14378", "2503.14125"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):
    routes = {
        "/api/daily_papers": Reply.json(DAY),
        f"/api/papers/{DAPO}": Reply.json(details()),
        f"/api/papers/{THIRD}": Reply.json(details(linkedModels=[], linkedSpaces=[], numTotalModels=0,
                                                   numTotalSpaces=0, linkedDatasets=[{"id": HOSTILE}])),
    }
    with FixtureServer(routes) as running:
        monkeypatch.setenv("PAPER_READER_BASE_URL", running.url)
        yield running


def lookups(server: FixtureServer) -> list[str]:
    return [path.rsplit("/", 1)[1] for path in server.paths() if path.startswith("/api/papers/")]


async def rested(pilot: Any) -> MainScreen:
    """Wait until the cursor has rested and the lookup it started has ended."""
    await until_idle(pilot)
    await pilot.pause(SETTLE + 0.2)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    return screen


def row_text(screen: MainScreen, row: int) -> str:
    return screen.paper_list.render_line(row - round(screen.paper_list.scroll_offset.y)).text


def app_for(data_dir: Path, *extra: str):
    return make_app(["--date", "2025-03-18", "--data-dir", str(data_dir), *extra])


async def test_the_highlighted_paper_shows_its_totals_and_best_artefacts(server: FixtureServer, data_dir: Path) -> None:
    async with app_for(data_dir).run_test(size=(140, 40)) as pilot:
        screen = await rested(pilot)
        text = screen.abstract.text
        assert "Hub 12 models · 1 dataset · 2 Spaces" in text
        assert "org/big ↓98k ♥40 text-generation" in text and "+9 more" in text
        assert "someone/demo ♥12 gradio" in text
        assert "◆" in row_text(screen, 0) and "◆" not in row_text(screen, 1)
        assert lookups(server) == [DAPO]


async def test_holding_j_asks_only_for_the_paper_the_cursor_rests_on(server: FixtureServer, data_dir: Path) -> None:
    async with app_for(data_dir).run_test(size=(140, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("j", "j", "j", "k")  # faster than the cursor settles
        screen = await rested(pilot)
        assert lookups(server) == [THIRD]  # not DAPO (left at once), not the papers passed over
        text = screen.abstract.text
        assert "Hub 1 dataset" in text and "evil/[bold]x[/bold]" in text  # markup shown as typed
        assert "\x1b" not in text and "\x07" not in text
        await pilot.press("k")
        screen = await rested(pilot)
        assert "not on the Hub" in screen.abstract.text  # the 404, kept
        await pilot.press("j")
        screen = await rested(pilot)
        assert lookups(server) == [THIRD, SECOND]  # known answers are not asked again


async def test_the_links_view_lists_the_hub_pages(server: FixtureServer, data_dir: Path) -> None:
    async with app_for(data_dir).run_test(size=(140, 40)) as pilot:
        await rested(pilot)
        await pilot.press("l")
        links = pilot.app.screen
        assert isinstance(links, LinksScreen)
        urls = [link.url for link in links.links]
        assert urls[:3] == [f"https://huggingface.co/papers/{DAPO}", f"https://arxiv.org/abs/{DAPO}",
                            f"https://arxiv.org/pdf/{DAPO}"]
        assert urls[-6:] == [
            "https://huggingface.co/org/big", "https://huggingface.co/org/small", "https://huggingface.co/org/liked",
            "https://huggingface.co/datasets/org/math-17k",
            "https://huggingface.co/spaces/someone/demo", "https://huggingface.co/spaces/other/demo2",
        ]
        await pilot.press("down", "down", "down", "down", "down", "y")
        assert any("https://huggingface.co/org/big" in n.message for n in pilot.app._notifications)


async def test_has_filters_answer_from_what_is_known(server: FixtureServer, data_dir: Path) -> None:
    async with app_for(data_dir).run_test(size=(140, 40)) as pilot:
        await rested(pilot)
        await pilot.press("j", "j")
        screen = await rested(pilot)
        await pilot.press("slash", *"has:model", "enter")
        assert [p.arxiv_id for p in screen.session.shown] == [DAPO]
        await pilot.press("slash", "ctrl+u", *"has:dataset -has:space", "enter")
        assert [p.arxiv_id for p in screen.session.shown] == [THIRD]
        await pilot.press("slash", "ctrl+u", *"-has:dataset", "enter")
        assert DAPO not in [p.arxiv_id for p in screen.session.shown] and len(screen.session.shown) == len(DAY) - 2


async def test_what_was_looked_up_shows_offline(server: FixtureServer, data_dir: Path) -> None:
    async with app_for(data_dir).run_test(size=(140, 40)) as pilot:
        await rested(pilot)
    asked = len(server.requests)
    async with app_for(data_dir, "--offline").run_test(size=(140, 40)) as pilot:
        screen = await rested(pilot)
        assert "Hub 12 models · 1 dataset · 2 Spaces" in screen.abstract.text
        assert "◆" in row_text(screen, 0)
        await pilot.press("j")
        screen = await rested(pilot)
        assert "Hub " not in screen.abstract.text  # never looked up: nothing said
    assert len(server.requests) == asked


async def test_a_rate_limit_is_said_once_and_waited_out(server: FixtureServer, data_dir: Path) -> None:
    limited = Reply.text("Too Many Requests", 429, headers={"RateLimit": '"api";r=0;t=1'})
    server.routes[f"/api/papers/{DAPO}"] = limited
    server.routes[f"/api/papers/{SECOND}"] = limited
    async with app_for(data_dir).run_test(size=(140, 40)) as pilot:
        screen = await rested(pilot)
        assert "rate limit" in screen.abstract.text
        await pilot.press("j")
        screen = await rested(pilot)  # paused: the second paper is not asked for
        assert lookups(server) == [DAPO]
        server.routes[f"/api/papers/{SECOND}"] = Reply.json(details(numTotalModels=5))
        await pilot.pause(1.2)
        screen = await rested(pilot)
        assert "Hub 5 models · 1 dataset · 2 Spaces" in screen.abstract.text
        told = [n.message for n in pilot.app._notifications if "rate limit" in n.message]
        assert len(told) == 1 and "1 s" in told[0]
