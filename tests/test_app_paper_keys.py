"""`Y` (copy as…) and `l` (the links view), pressed through Textual's Pilot."""

from __future__ import annotations

from pathlib import Path

from reader.cli import make_app
from reader.export.render import render
from reader.library.mark_records import UNMARKED
from reader.screens.copy_as_prompt import CopyAsPrompt
from reader.screens.main import MainScreen
from reader.screens.paper_links import LinksScreen

DAY_FILE = Path(__file__).parent / "fixtures" / "api-daily-2025-03-18.json"
DAPO_TITLE = "DAPO: An Open-Source LLM Reinforcement Learning System at Scale"


def file_app(data_dir: Path):
    return make_app(["--file", str(DAY_FILE), "--data-dir", str(data_dir)])


async def ready(pilot) -> MainScreen:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    return screen


async def copied(pilot) -> str:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return pilot.app.clipboard


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_Y_then_each_letter_copies_and_says_what(data_dir: Path) -> None:
    app = file_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        paper = screen.paper_list.current
        assert paper.title == DAPO_TITLE
        expected = {
            "i": "2503.14476",
            "b": render([paper], lambda p: UNMARKED, "bibtex"),
            "m": f"[{DAPO_TITLE}](https://huggingface.co/papers/2503.14476)",
            "t": DAPO_TITLE,
            "h": "https://huggingface.co/papers/2503.14476",
            "c": "https://github.com/BytedTsinghua-SIA/DAPO",
        }
        for letter, text in expected.items():
            await pilot.press("Y")
            assert isinstance(app.screen, CopyAsPrompt)
            assert "Copy as" in str(app.screen.query_one("#copy-as-prompt").content)
            await pilot.press(letter)
            assert app.screen is screen
            assert await copied(pilot) == text, letter
        assert any(m.startswith("Copied BibTeX entry") and "@misc{arxiv2503.14476," in m for m in messages(app))
        assert any(m.startswith("Copied arXiv id") and "2503.14476" in m for m in messages(app))


async def test_Y_on_a_paper_without_code_says_so_and_escape_cancels(data_dir: Path) -> None:
    app = file_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("j", "j")
        assert screen.paper_list.current.code_url is None
        await pilot.press("Y", "c")
        assert await copied(pilot) == ""
        assert any("no code link" in m for m in messages(app))
        await pilot.press("Y", "escape")
        assert app.screen is screen and "Copy cancelled." in messages(app)
        await pilot.press("Y", "q")  # any other key cancels, even one bound elsewhere
        assert app.is_running and app.screen is screen
        assert await copied(pilot) == ""


async def test_l_lists_the_links_and_a_digit_opens_one(data_dir: Path) -> None:
    app = file_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("l")
        links = app.screen
        assert isinstance(links, LinksScreen)
        assert [link.url for link in links.links] == [
            "https://huggingface.co/papers/2503.14476", "https://arxiv.org/abs/2503.14476",
            "https://arxiv.org/pdf/2503.14476", "https://github.com/BytedTsinghua-SIA/DAPO",
            "https://dapo-sia.github.io/",
        ]
        await pilot.press("3")  # no browser in tests: the link is shown instead
        assert app.screen is screen
        assert any("https://arxiv.org/pdf/2503.14476" in m and "No browser" in m for m in messages(app))
        await pilot.press("l", "9")
        assert isinstance(app.screen, LinksScreen) and any("No link 9" in m for m in messages(app))
        await pilot.press("escape")
        assert app.screen is screen


async def test_l_then_y_copies_the_highlighted_link_and_enter_opens_it(data_dir: Path) -> None:
    app = file_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("l", "down", "down", "down", "y")
        assert await copied(pilot) == "https://github.com/BytedTsinghua-SIA/DAPO"
        assert isinstance(app.screen, LinksScreen)
        await pilot.press("down", "enter")
        assert app.screen is screen
        assert any("https://dapo-sia.github.io/" in m for m in messages(app))
