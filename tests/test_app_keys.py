"""Every key of the contract, pressed for real through Textual's Pilot, asserting state."""

from __future__ import annotations

import time
from pathlib import Path

from textual.keys import _character_to_key

from helpers.settling import until_idle
from reader.cli import make_app
from reader.library import Tally
from reader.library.store import Store
from reader.screens.help import HelpScreen
from reader.screens.list_loader import Loaded
from reader.screens.main import MainScreen

HONESTY = "Alignment for Honesty"
FIRST = "Implicit Temporal Modeling with Learnable Alignment for Video Recognition"
SECOND = "Alignment and Safety in Large Language Models: Safety Mechanisms, Training Paradigms, and Emerging Challenges"
LAST = HONESTY


def sample_app(data_dir: Path, *extra: str):
    return make_app(["--sample", "--data-dir", str(data_dir), *extra])


async def ready(pilot) -> MainScreen:
    """Wait for the list to arrive (the loader runs in a worker)."""
    await until_idle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    for _ in range(20):  # the abstract follows the list one frame later
        if screen._abstract_due is None:
            break
        await pilot.pause()
    return screen


async def wait_for(pilot, check, timeout: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    """Until ``check()`` holds or ``timeout`` seconds pass: for what a worker thread does
    and the screen shows after, on the UI's."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        await pilot.pause(0.1)
    return check()


def typed(text: str) -> list[str]:
    """The key presses that type ``text``."""
    return [_character_to_key(ch) for ch in text]


def titles(screen: MainScreen) -> list[str]:
    return [p.title for p in screen.paper_list.papers]


def current(screen: MainScreen) -> str:
    paper = screen.paper_list.current
    assert paper is not None
    return paper.title


def stored(data_dir: Path, title: str):
    """The mark on disk for ``title``, read by a fresh store as a restart would."""
    store = Store(data_dir)
    store.open()
    try:
        paper = next(p for p in store.library() if p.title == title)
        return store.mark(paper)
    finally:
        store.close()


async def test_opens_on_the_sample_with_the_first_paper_shown(data_dir: Path) -> None:
    app = sample_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        assert len(screen.paper_list.papers) == 31
        assert current(screen) == FIRST
        assert FIRST in screen.abstract.text
        assert "https://github.com/Francis-Rings/ILA" in screen.abstract.text
        assert screen.focused is screen.paper_list


async def test_j_k_arrows_g_G_move_and_the_abstract_follows(data_dir: Path) -> None:
    app = sample_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("j")
        assert current(screen) == SECOND
        assert SECOND in screen.abstract.text
        await pilot.press("k")
        assert current(screen) == FIRST
        await pilot.press("down", "down")
        assert screen.paper_list.cursor == 2
        await pilot.press("up")
        assert screen.paper_list.cursor == 1
        await pilot.press("G")
        assert current(screen) == LAST
        assert HONESTY in screen.abstract.text
        await pilot.press("j")
        assert current(screen) == LAST, "j past the end stays on the last paper"
        await pilot.press("g")
        assert current(screen) == FIRST
        await pilot.press("k")
        assert current(screen) == FIRST


async def test_half_page_keys_move_by_half_the_visible_rows(data_dir: Path) -> None:
    app = sample_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        half = screen.paper_list.scrollable_content_region.height // 2
        assert half > 1
        await pilot.press("ctrl+d")
        assert screen.paper_list.cursor == half
        await pilot.press("ctrl+d")
        assert screen.paper_list.cursor == min(2 * half, 30)
        await pilot.press("ctrl+u")
        assert screen.paper_list.cursor == min(2 * half, 30) - half


async def test_search_enter_enter_b_marks_honesty_read_and_bookmarked(data_dir: Path) -> None:
    app = sample_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash")
        assert screen.focused is screen.search_bar
        await pilot.press(*"honesty")
        assert titles(screen) == [HONESTY]
        assert "1 of 31 match" in str(screen.query_one("#status").content)
        await pilot.press("enter")
        assert screen.focused is screen.paper_list
        assert current(screen) == HONESTY
        await pilot.press("enter")
        assert screen.focused is screen.abstract
        assert screen.store.mark(screen.paper_list.current).read
        await pilot.press("b")
        assert screen.store.mark(screen.paper_list.current).bookmarked
        await pilot.press("q")
    mark = stored(data_dir, HONESTY)
    assert mark.read and mark.bookmarked


async def test_typing_in_the_search_bar_does_not_fire_single_key_bindings(data_dir: Path) -> None:
    app = sample_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"rbuq")
        assert screen.search_bar.value == "rbuq"
        assert not screen.unread_only
        assert app.is_running


async def test_escape_clears_the_search_and_goes_back(data_dir: Path) -> None:
    app = sample_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"survey")
        assert 0 < len(titles(screen)) < 31
        await pilot.press("escape")
        assert screen.search_bar.value == ""
        assert len(titles(screen)) == 31
        assert screen.focused is screen.paper_list


async def test_search_language_through_the_bar(data_dir: Path) -> None:
    app = sample_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)

        async def run(query: str) -> list[str]:
            await pilot.press("slash", "escape", "slash", *typed(query), "enter")
            return titles(screen)

        surveys = await run("survey")
        assert len(surveys) > 3, "words match the abstract too, not only titles"
        assert len(await run("title:survey")) == 3
        assert "Large Language Model Alignment: A Survey" in await run('"alignment: a survey"')
        no_survey = await run("alignment -survey")
        assert not any("Survey" in t for t in no_survey) and no_survey
        has_code = await run("has:code")
        assert len(has_code) == 11
        assert HONESTY in has_code
        assert await run("is:bookmarked") == []


async def test_matches_are_highlighted_in_the_abstract(data_dir: Path) -> None:
    app = sample_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"honesty", "enter")
        text = screen.abstract.content
        lit = [text.plain[span.start : span.end].lower() for span in text.spans if "reverse" in str(span.style)]
        assert "honesty" in lit


async def test_r_toggles_read_on_screen_and_on_disk(data_dir: Path) -> None:
    app = sample_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        paper = screen.paper_list.current
        assert not screen.store.mark(paper).read
        unread = screen.status.unread
        await pilot.press("r")
        assert screen.store.mark(paper).read
        assert screen.status.unread == unread - 1
        assert "read" in screen.abstract.text.splitlines()[1]
        await pilot.press("r")
        assert not screen.store.mark(paper).read
        await pilot.press("r")
    assert stored(data_dir, FIRST).read


async def test_a_list_counted_in_the_loader_is_counted_again_when_a_mark_changed_since(data_dir: Path) -> None:
    app = sample_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        listing, store = screen.views.current.listing, screen.store
        assert listing is not None
        screen.post_message(Loaded(listing, tally=Tally(7, 3, 2, store.marks_version)))
        await pilot.pause()
        assert (screen.status.unread, screen.status.bookmarked, screen.views.current.new) == (7, 3, 2)
        stale = Tally(7, 3, 2, store.marks_version)
        await pilot.press("r")
        screen.post_message(Loaded(listing, tally=stale))
        await pilot.pause()
        assert (screen.status.unread, screen.status.bookmarked) == store.counts(listing.papers) == (30, 0)


async def test_u_shows_unread_only_and_B_bookmarks_only(data_dir: Path) -> None:
    app = sample_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("r", "j", "b")
        await pilot.press("u")
        assert FIRST not in titles(screen)
        assert len(titles(screen)) == 30
        await pilot.press("u")
        assert len(titles(screen)) == 31
        await pilot.press("B")
        assert titles(screen) == [SECOND]
        await pilot.press("B")
        assert len(titles(screen)) == 31


async def test_c_copies_the_code_link_and_says_so(data_dir: Path) -> None:
    app = sample_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("G", "c")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert app.clipboard == "https://github.com/GAIR-NLP/alignment-for-honesty"
        messages = [n.message for n in app._notifications]
        assert any("https://github.com/GAIR-NLP/alignment-for-honesty" in m for m in messages)
        assert app.is_running


async def test_c_on_a_paper_without_code_says_there_is_none(data_dir: Path) -> None:
    app = sample_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("j")
        assert screen.paper_list.current.code_url is None
        await pilot.press("c")
        assert app.clipboard == ""
        assert any("no code link" in n.message for n in app._notifications)


async def test_y_copies_the_hugging_face_link(data_dir: Path) -> None:
    app = sample_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("y")
        assert app.clipboard.startswith("https://huggingface.co/papers")
        assert "Implicit+Temporal+Modeling" in app.clipboard


async def test_o_and_O_without_a_browser_show_the_link(data_dir: Path) -> None:
    app = sample_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("O")
        assert any("https://github.com/Francis-Rings/ILA" in n.message for n in app._notifications)
        await pilot.press("o")
        assert any("huggingface.co/papers" in n.message for n in app._notifications)
        assert app.is_running


async def test_brackets_on_a_list_without_periods_say_so(data_dir: Path) -> None:
    app = sample_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("right_square_bracket")
        assert any("[ and ]" in n.message for n in app._notifications)


async def test_question_mark_lists_every_binding(data_dir: Path) -> None:
    app = sample_app(data_dir)
    async with app.run_test(size=(120, 60)) as pilot:
        screen = await ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-table").content
        from rich.console import Console

        console = Console(width=120, record=True)
        console.print(table)
        text = console.export_text()
        for description in [
            "Next paper", "Previous paper", "First paper", "Last paper", "Half page down",
            "Half page up", "Open", "Search", "Read", "Bookmark", "Unread only",
            "Bookmarks only", "Copy code", "Copy HF link", "Open in browser",
            "Open code link", "Previous period", "Next period", "Refresh", "Help", "Quit",
            "Clear search", "Back to the list", "Command palette",
        ]:
            assert description in text, description
        for heading in ("[list]", "[reader]", "[search bar]", "[abstract pane]", "[app]", "[search]"):
            assert heading in text, heading  # shown as typed, not taken for markup
        for key in ("j", "k", "g", "G", "^d", "^u", "[", "]", "?", "/", "R", "B", "O"):
            assert key in text, key
        await pilot.press("escape")
        assert app.screen is screen


async def test_q_quits(data_dir: Path) -> None:
    app = sample_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_marks_survive_a_restart(data_dir: Path) -> None:
    app = sample_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("G", "b", "enter")
    again = sample_app(data_dir)
    async with again.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        honesty = screen.papers[-1]
        assert honesty.title == HONESTY
        mark = screen.store.mark(honesty)
        assert mark.read and mark.bookmarked
        assert screen.status.bookmarked == 1
        assert screen.status.unread == 30


async def test_the_command_palette_offers_the_reader_actions(data_dir: Path) -> None:
    app = sample_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        commands = [c.title for c in app.get_system_commands(screen)]
        for title in ("Bookmark", "Unread only", "Copy code", "Refresh", "Help"):
            assert title in commands
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen is not screen


async def test_keys_typed_right_after_slash_land_in_the_search_bar(data_dir: Path) -> None:
    """A fast typist (or a terminal sending `/honesty` in one burst) loses no letters."""
    from textual import events

    app = sample_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        for key, character in [("slash", "/"), *((c, c) for c in "honesty"), ("slash", "/"), ("x", "x")]:
            app.post_message(events.Key(key, character))
        await pilot.pause()
        await pilot.pause()
        assert screen.search_bar.value == "honesty/x"
        assert screen.focused is screen.search_bar


async def test_offline_opens_the_library_newest_first(data_dir: Path) -> None:
    from reader.session.loader import sample_papers

    store = Store(data_dir)
    store.open()
    store.add_papers(sample_papers())
    store.close()
    app = make_app(["--offline", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        for _ in range(50):
            if not screen.status.loading:
                break
            await pilot.pause(0.05)
        dates = [p.published for p in screen.paper_list.papers]
        assert len(dates) == 31 and dates == sorted(dates, reverse=True)
        assert screen.status.title.startswith("Library")
        assert not screen.status.loading
        await pilot.press("slash", *"honesty", "enter")
        assert titles(screen) == [HONESTY]


async def test_a_large_library_is_searched_through_its_index_and_keeps_marks_current(data_dir: Path) -> None:
    """Above 2,000 papers search goes through the index built off the event loop; marks
    changed with `r` must show in `is:unread` at once, without re-reading every mark."""
    from reader.model.paper import Paper

    papers = [
        Paper(
            f"Paper {i:04d} on {'diffusion' if i % 10 == 0 else 'transformers'}",
            f"Abstract {i} about {'sparse rewards' if i % 7 == 0 else 'dense rewards'}.",
            authors=[f"Author {i % 13}", "Yuki Nakamura" if i % 50 == 0 else "Ann Lee"],
            arxiv_id=f"2401.{i:05d}",
            published=f"2024-01-{1 + i % 28:02d}",
        )
        for i in range(2400)
    ]
    store = Store(data_dir)
    store.open()
    store.add_papers(papers)
    store.close()
    app = make_app(["--offline", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        for _ in range(200):
            if screen.index is not None:
                break
            assert screen.status.loading or screen.status.indexing  # the header says why search waits
            await pilot.pause(0.05)
        assert screen.index is not None and len(screen.papers) == 2400
        assert not screen.status.indexing and "indexing" not in str(screen.query_one("#status").render())
        reads = []
        screen.index._marks.mark_flags = lambda ps, real=screen.store.mark_flags: reads.append(1) or real(ps)

        await pilot.press("slash", *"diffusion nakamura", "enter")
        assert len(titles(screen)) == 2400 // 50
        assert all("diffusion" in t for t in titles(screen))
        await pilot.press("escape", "slash", *'"sparse rewards" is:unread', "enter")
        assert len(titles(screen)) == len(range(0, 2400, 7))
        first = screen.paper_list.current
        await pilot.press("r")
        assert screen.store.mark(first).read
        await pilot.press("escape", "slash", *'"sparse rewards" is:unread', "enter")
        assert first.title not in titles(screen)
        assert len(titles(screen)) == len(range(0, 2400, 7)) - 1
        assert reads == []  # `r` was noted by the index, not found by re-reading every mark

        other = screen.paper_list.current
        screen.store.set_read(other, True)  # as when another reader's marks are merged in
        await pilot.press("escape", "slash", *'"sparse rewards" is:unread', "enter")
        assert other.title not in titles(screen)
        assert len(reads) == 1


async def test_a_search_for_text_already_typed_past_is_skipped(data_dir: Path) -> None:
    """Keys typed while a slow search ran arrive as several changes at once: only the
    bar's newest text is searched, so a stale change neither costs a search nor shows
    its list."""
    from reader.widgets import SearchBar

    app = sample_app(data_dir)
    async with app.run_test() as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *typed("honesty"))
        await pilot.pause()
        honest = titles(screen)
        bar = screen.query_one("#search", SearchBar)
        screen.post_message(SearchBar.Changed(bar, "h"))  # an older text than the bar's
        await pilot.pause()
        assert titles(screen) == honest
        assert len(honest) < len(screen.session.papers)
