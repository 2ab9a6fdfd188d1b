"""The full text (`f`) in the reader, against the real local HTTP server, then offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.settling import until_idle
from reader.cli import make_app
from reader.screens.full_text import FullTextScreen
from reader.screens.full_text_contents import ContentsScreen
from reader.screens.main import MainScreen
from httpserver import FixtureServer, Reply, fixture_json

FIXTURES = Path(__file__).parent / "fixtures"
WRITTEN = (FIXTURES / "paper-md-written.md").read_text(encoding="utf-8")
FALLBACK = (FIXTURES / "paper-md-fallback.md").read_text(encoding="utf-8")
DAY = fixture_json("api-daily-2025-03-18.json")  # DAPO (2503.14476) first, then 2503.14378


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):
    routes = {
        "/api/daily_papers": Reply.json(DAY),
        "/papers/2503.14476.md": Reply.text(WRITTEN, content_type="text/markdown"),
        "/papers/2503.14378.md": Reply.text(FALLBACK, content_type="text/markdown"),
    }
    with FixtureServer(routes) as running:
        monkeypatch.setenv("PAPER_READER_BASE_URL", running.url)
        yield running


async def settled(pilot):
    await until_idle(pilot)
    await pilot.pause()
    return pilot.app.screen


def md_requests(server: FixtureServer) -> list[str]:
    return [p for p in server.paths() if p.endswith(".md")]


async def open_full_text(pilot) -> FullTextScreen:
    main = await settled(pilot)
    assert isinstance(main, MainScreen)
    await pilot.press("f")
    screen = await settled(pilot)
    assert isinstance(screen, FullTextScreen)
    return screen


async def test_f_shows_a_section_at_a_time_and_brackets_move(server: FixtureServer, data_dir: Path) -> None:
    app = make_app(["--date", "2025-03-18", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_full_text(pilot)
        assert screen.full_text is not None and screen.section_index == 0
        assert screen.shown_text.startswith("Sparse Routers Learn [bold]Fast[/bold]")  # shown literally
        header = str(screen.query_one("#ft-header").content)
        assert "https://arxiv.org/html/2503.14476" in header and "Tue, 18 Mar 2025" in header
        await pilot.press("right_square_bracket")
        assert screen.section_index == 1 and screen.shown_text.startswith("Abstract")
        assert "∼ 3% of experts" in screen.shown_text and "\\sim" not in screen.shown_text
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert screen.shown_text.startswith("2 Method")
        await pilot.press("left_square_bracket")
        assert screen.shown_text.startswith("1 Introduction")
        assert "Figure 1 → https://arxiv.org/html/2503.14476v2/x1.png" in screen.shown_text
        assert "2 Method" not in screen.shown_text  # one section, not the whole text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
    assert md_requests(server) == ["/papers/2503.14476.md"]


async def test_t_jumps_from_the_contents(server: FixtureServer, data_dir: Path) -> None:
    app = make_app(["--date", "2025-03-18", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_full_text(pilot)
        await pilot.press("t")
        assert isinstance(app.screen, ContentsScreen)
        await pilot.press("down", "down", "down", "down", "enter")
        assert app.screen is screen and screen.section_index == 4
        assert screen.shown_text.startswith("2.1 Routing loss")
        await pilot.press("t", "escape")
        assert app.screen is screen and screen.section_index == 4


async def test_slash_finds_across_sections_and_n_N_step(server: FixtureServer, data_dir: Path) -> None:
    app = make_app(["--date", "2025-03-18", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_full_text(pilot)
        await pilot.press("slash", *"needle", "enter")
        assert screen.query_text == "needle" and len(screen.matches) == 3
        assert screen.match_index == 0 and screen.section_index == 4
        assert "match 1 of 3" in str(screen.query_one("#ft-header").content)
        await pilot.press("n")
        assert screen.match_index == 1 and screen.section_index == 5
        await pilot.press("n", "n")
        assert screen.match_index == 0 and screen.section_index == 4  # wraps round
        await pilot.press("N")
        assert screen.match_index == 2 and screen.section_index == 5
        await pilot.press("slash", *"[bold]", "escape")  # escape closes the find bar only
        assert app.screen is screen and screen.query_text == "needle"
        await pilot.press("slash", *"nowhere at all", "enter")
        assert screen.matches == [] and any("Not found" in n.message for n in app._notifications)


async def test_the_kept_copy_opens_offline(server: FixtureServer, data_dir: Path) -> None:
    app = make_app(["--date", "2025-03-18", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        await open_full_text(pilot)
    app = make_app(["--offline", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await settled(pilot)
        assert isinstance(main, MainScreen)
        while main.paper_list.current is not None and main.paper_list.current.arxiv_id != "2503.14476":
            await pilot.press("j")
        screen = await open_full_text(pilot)
        assert screen.full_text is not None and screen.full_text.source_url == "https://arxiv.org/html/2503.14476"
        await pilot.press("escape", "j", "f")
        other = await settled(pilot)
        assert isinstance(other, FullTextScreen) and other.full_text is None
        assert "offline" in other.shown_text and "o opens the arXiv page" in other.shown_text
    assert md_requests(server) == ["/papers/2503.14476.md"]


async def test_no_full_text_says_so_and_offers_arxiv(server: FixtureServer, data_dir: Path) -> None:
    app = make_app(["--date", "2025-03-18", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await settled(pilot)
        await pilot.press("j", "f")
        screen = await settled(pilot)
        assert isinstance(screen, FullTextScreen) and screen.full_text is None
        assert "only its abstract" in screen.shown_text
        assert "https://arxiv.org/abs/2503.14378" in screen.shown_text
        await pilot.press("o", "t", "n", "right_square_bracket")  # no browser here: the link is shown
        assert any("https://arxiv.org/abs/2503.14378" in n.message for n in app._notifications)
        await pilot.press("escape", "j", "j", "f")
        missing = await settled(pilot)
        assert isinstance(missing, FullTextScreen) and "not indexed" in missing.shown_text
        await pilot.press("escape")
        assert app.screen is main
