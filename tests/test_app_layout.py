"""What is on screen at the sizes people use: the list keeps rows on a tiny terminal, the
abstract's first words show at 80×24, and odd characters never shift a pane's border."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import make_app


async def settled(pilot):  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
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
