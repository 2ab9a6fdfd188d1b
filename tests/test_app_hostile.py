"""A page written to be hostile: markup, escapes, bidi overrides and bad links, shown literally."""

from __future__ import annotations

import json
from pathlib import Path

from reader.cli import make_app

ESC = "\x1b"
HOSTILE_TITLE = "[bold]Bold[/] [link=https://evil.example]click[/link] \x1b]52;c;aGFjaw==\x07\x1b[31mred\u202eevil"
HOSTILE_ITEM = {
    "paper": {
        "id": "2501.00001",
        "title": HOSTILE_TITLE,
        "summary": "An abstract with [/] and [red and <script>alert(1)</script> \x1b[2J\x00 inside.",
        "authors": [{"name": "[b]Mallory[/b]", "hidden": False}, {"name": "Hidden One", "hidden": True}],
        "publishedAt": "2025-01-01T00:00:00.000Z",
        "upvotes": 3,
        "githubRepo": "javascript:alert(1)",
        "projectPage": "file:///etc/passwd",
    },
    "title": HOSTILE_TITLE,
    "summary": "x",
}


async def test_hostile_text_is_shown_literally_and_bad_links_are_dropped(tmp_path: Path, data_dir: Path) -> None:
    page = tmp_path / "hostile.json"
    page.write_text(json.dumps([HOSTILE_ITEM]))
    app = make_app(["--file", str(page), "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        shown = screen.abstract.text
        assert "[bold]Bold[/] [link=https://evil.example]click[/link]" in shown
        assert "[/] and [red and <script>alert(1)</script>" in shown
        assert "[b]Mallory[/b]" in shown and "Hidden One" not in shown
        assert ESC not in shown and "\x00" not in shown and "\u202e" not in shown
        assert "javascript:" not in shown and "file://" not in shown
        row = screen.paper_list.render_line(0).text
        assert "[bold]Bold[/]" in row and ESC not in row
        await pilot.press("c")
        assert app.clipboard == ""
        assert any("no code link" in n.message for n in app._notifications)
        await pilot.press("slash", "left_square_bracket", "b")
        assert len(screen.paper_list.papers) == 1, "a search for '[b' is text, not markup"
        assert app.is_running


async def test_a_bad_file_is_refused_before_the_screen_is_drawn(tmp_path: Path, data_dir: Path) -> None:
    from reader.model.errors import ParseError

    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01\x02 not a page")
    try:
        make_app(["--file", str(junk), "--data-dir", str(data_dir)])
    except ParseError as error:
        assert "junk.bin" in str(error)
    else:
        raise AssertionError("a binary file was accepted")


EVIL_NAME = "page\x1b]0;owned\x07\x1b[31mred\u202e.json"


async def test_a_file_name_with_escapes_is_shown_clean(tmp_path: Path, data_dir: Path) -> None:
    page = tmp_path / EVIL_NAME
    page.write_text(json.dumps([HOSTILE_ITEM]))
    app = make_app(["--file", str(page), "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        title = app.screen.status.title
        assert title == "File · pagered.json", repr(title)
        header = app.screen.query_one("#status").render()
        assert ESC not in str(header) and "\x07" not in str(header)


def test_a_bad_file_name_with_escapes_is_reported_clean(tmp_path: Path, data_dir: Path) -> None:
    from reader.model.errors import ParseError

    junk = tmp_path / EVIL_NAME
    junk.write_bytes(b"\x00\x01\x02 not a page")
    try:
        make_app(["--file", str(junk), "--data-dir", str(data_dir)])
    except ParseError as error:
        assert "pagered.json" in str(error)
        assert not any(ch in str(error) for ch in (ESC, "\x07", "\u202e"))
    else:
        raise AssertionError("a binary file was accepted")
