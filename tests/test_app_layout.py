"""What is on screen at the sizes people use: the list keeps rows on a tiny terminal, the
abstract's first words show at 80×24, and odd characters never shift a pane's border."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from helpers.settling import until_idle
from reader.cli import make_app


async def settled(pilot):  # type: ignore[no-untyped-def]
    await until_idle(pilot)
    return pilot.app.screen


def screen_lines(app) -> list[str]:  # type: ignore[no-untyped-def]
    """The terminal as text, one string per row."""
    return [strip.text for strip in app.screen._compositor.render_strips()]  # type: ignore[attr-defined]


@pytest.mark.parametrize("size, args", [
    ((40, 10), ["--sample"]),
    ((40, 10), []),  # offline on a first run: a notice under the header as well
    ((60, 9), ["--sample"]),
    ((120, 10), ["--sample"]),
])
async def test_a_tiny_terminal_keeps_rows_in_the_list(data_dir: Path, size: tuple[int, int], args: list[str]) -> None:
    app = make_app([*args, "--data-dir", str(data_dir)])
    async with app.run_test(size=size) as pilot:
        screen = await settled(pilot)
        assert screen.query_one("#status").size.height <= 2, "the header wrapped over the list"
        rows = screen.paper_list.scrollable_content_region.height
        assert rows >= 3, f"the list has {rows} rows at {size}"
        first = screen.paper_list.papers[0].title[:10]
        assert any(first in line for line in screen_lines(app)), "the first paper is not on screen"


INVISIBLE = {
    "\u3164": "Hangul filler", "\u115f": "Hangul choseong filler", "\u1160": "Hangul jungseong filler",
    "\uffa0": "halfwidth Hangul filler", "\u200d": "zero-width joiner", "\ufe0f": "variation selector 16",
    "\ufe0e": "variation selector 15", "\U000e0100": "variation selector 17", "\U0001f3fd": "skin tone",
}
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one glyph where a terminal joins it, three where not


def terminal_cells(text: str) -> int:
    """Columns a terminal without grapheme joining gives ``text``: wide and full-width
    characters two, marks and format characters none, the rest one."""
    cells = 0
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        cells += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return cells


def odd_item(n: int) -> dict:
    odd = "".join(INVISIBLE)
    return {
        "paper": {
            "id": f"2501.0000{n}",
            "title": f"Title {n} \u3164\u3164 with{odd} fillers {FAMILY} and \u2764\ufe0f hearts \u115f\u1160 end",
            "summary": f"An abstract {odd} {FAMILY} \u3164 with odd characters \u2764\ufe0f.",
            "authors": [{"name": f"Name\u3164{n}\u200d\ufe0f"}, {"name": "\uffa0\u115f"}],
            "publishedAt": "2025-01-01T00:00:00.000Z",
        },
    }


@pytest.mark.parametrize("size", [(120, 30), (80, 24)])
async def test_invisible_and_wide_characters_never_shift_a_border(tmp_path: Path, data_dir: Path,
                                                                  size: tuple[int, int]) -> None:
    page = tmp_path / "odd.json"
    page.write_text(json.dumps([odd_item(n) for n in range(5)]))
    app = make_app(["--file", str(page), "--data-dir", str(data_dir)])
    async with app.run_test(size=size) as pilot:
        screen = await settled(pilot)
        assert len(screen.paper_list.papers) == 5
        lines = screen_lines(app)
        shown = "\n".join(lines)
        assert "Title 0" in shown and "An abstract" in shown
        for ch, name in INVISIBLE.items():
            assert ch not in shown, f"a {name} reached the screen"
        for y, line in enumerate(lines):
            assert terminal_cells(line) == size[0], f"row {y} is {terminal_cells(line)} columns: {line!r}"


async def test_papers_kept_from_before_the_cleaning_are_drawn_without_those_characters(data_dir: Path) -> None:
    from reader.library.store import Store
    from reader.model.paper import Paper

    odd = "".join(INVISIBLE)
    store = Store(data_dir)
    store.open()
    store.add_papers([Paper(title=f"Kept {n} \u3164{odd} title {FAMILY}", abstract=f"Kept abstract {odd}.",
                            authors=[f"Kept\u3164Name{odd}"], published=f"2025-01-0{n + 1}")
                      for n in range(3)])
    store.close()
    app = make_app(["--offline", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 30)) as pilot:
        await settled(pilot)
        await pilot.pause(0.2)
        lines = screen_lines(app)
        shown = "\n".join(lines)
        assert "Kept 2" in shown and "Kept abstract" in shown
        for ch, name in INVISIBLE.items():
            assert ch not in shown, f"a {name} reached the screen"
        for y, line in enumerate(lines):
            assert terminal_cells(line) == 120, f"row {y} is {terminal_cells(line)} columns: {line!r}"


def abstract_start(paper) -> str:  # type: ignore[no-untyped-def]
    """The abstract's first words (whole words, within one wrapped line)."""
    words = (paper.abstract or "(no abstract)").split()
    start = ""
    for word in words:
        if len(start) + len(word) + 1 > 30:
            break
        start = f"{start} {word}".strip()
    return start


FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("source", [["--sample"], ["--file", str(FIXTURES / "api-daily-2025-03-18.json")]],
                         ids=["sample", "api-answer"])
@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_abstract_shows_on_the_first_screen_at_common_sizes(data_dir: Path, size: tuple[int, int],
                                                                      source: list[str]) -> None:
    app = make_app([*source, "--data-dir", str(data_dir)])
    async with app.run_test(size=size) as pilot:
        screen = await settled(pilot)
        for row in range(len(screen.paper_list.papers)):
            paper = screen.paper_list.current
            await pilot.pause()
            assert screen.abstract.text.startswith(paper.title)
            start = abstract_start(paper)
            assert any(start in line for line in screen_lines(app)), (
                f"row {row}: {start!r} is below the fold at {size}:\n" + "\n".join(screen_lines(app)))
            await pilot.press("j")


async def test_thousands_of_long_author_names_are_laid_out_as_a_few_lines(tmp_path: Path, data_dir: Path) -> None:
    names = [f"Author Number {n:04d} " + "Longname" * 20 for n in range(5000)]
    item = {"paper": {"id": "2501.00001", "title": "A paper by everyone", "summary": "The abstract itself.",
                      "authors": [{"name": name} for name in names], "publishedAt": "2025-01-01T00:00:00.000Z"}}
    page = tmp_path / "crowd.json"
    page.write_text(json.dumps([item]))
    app = make_app(["--file", str(page), "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        lines = screen.abstract.text.splitlines()
        head = lines[2]
        assert head.startswith("Author Number 0000") and head.endswith(" +4,999 more"), head
        [listed] = [line for line in lines if line.startswith("Authors ")]
        assert names[0] in listed and names[9] in listed and names[20] not in listed
        assert listed.endswith(" more")
        assert screen.abstract.virtual_size.height < 80, "the pane laid out every name"
        assert any("The abstract itself." in line for line in screen_lines(app))
