"""A library search too short for the trigram index is answered off the event loop: keys
typed while it runs are not held back, the stale query is stopped, the newest answer shown."""

from __future__ import annotations

import time
from pathlib import Path

from reader.cli import make_app
from reader.library import Store
from reader.search import DatabaseIndex, parse_query, scan
from tests.test_app_keys import wait_for
from tests.test_database_index import slow_instr
from tests.test_index_cache import papers

ROWS = 300
PAUSE = 0.003  # seconds a row and column: a whole scan of the library takes ~2.7 s


def library_app(data_dir: Path):  # type: ignore[no-untyped-def]
    """The reader on a library of ``ROWS`` papers, offline."""
    store = Store(data_dir)
    store.open()
    store.add_papers(papers(ROWS))
    store.close()
    return make_app(["--offline", "--data-dir", str(data_dir)])


async def indexed(pilot):  # type: ignore[no-untyped-def]
    """The main screen once the whole library is loaded and searched in the database."""
    screen = pilot.app.screen
    await wait_for(pilot, lambda: isinstance(screen.index, DatabaseIndex) and not screen.session.loading, timeout=20)
    return screen


async def test_keys_typed_while_a_slow_search_runs_end_with_the_newest_answer(data_dir: Path) -> None:
    app = library_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await indexed(pilot)
        index = screen.index
        assert isinstance(index, DatabaseIndex) and len(screen.papers) == ROWS
        calls: list[int] = []
        index._conn.create_function("instr", 2, slow_instr(calls, PAUSE))

        await pilot.press("slash", "u")  # one letter: every row's text, scanned
        for _ in range(200):
            if calls:
                break
            await pilot.pause(0.01)
        assert calls, "the one-letter search never started"
        started = time.perf_counter()
        await pilot.press(*"nique5")  # typed while that scan runs
        expected = [screen.papers[i] for i in scan(screen.papers, parse_query("unique5"), screen.store.mark)]
        status = screen.query_one("#status")
        for _ in range(200):
            if f"{len(expected)} of {ROWS} match" in str(status.content):
                break
            await pilot.pause(0.01)
        took = time.perf_counter() - started

        assert len(expected) == 11  # unique5, unique50 … unique59
        assert f"{len(expected)} of {ROWS} match" in str(status.content)
        assert list(screen.paper_list.papers) == expected
        assert took < ROWS * 3 * PAUSE / 2  # well before the stale scan would have ended
        assert len(calls) < ROWS  # both stale scans ("u", "un") were stopped early
        assert screen.session.pending is None
        await pilot.pause(0.3)  # nothing stale lands afterwards
        assert list(screen.paper_list.papers) == expected


async def test_enter_while_a_search_is_pending_puts_the_cursor_on_its_first_result(data_dir: Path) -> None:
    app = library_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await indexed(pilot)
        await pilot.press("slash", *"unique59")  # answered at once: one paper
        assert [p.title for p in screen.session.shown] and len(screen.session.shown) == 1
        calls: list[int] = []
        screen.index._conn.create_function("instr", 2, slow_instr(calls, PAUSE))
        await pilot.press("ctrl+u", "q")  # one new letter: every row scanned, off the event loop
        assert screen.session.pending is not None, (screen.session.typed, len(calls))
        await pilot.press("enter")  # before the answer: the old single result is still shown
        assert await wait_for(pilot, lambda: screen.session.pending is None, timeout=10)
        await pilot.pause()
        assert len(screen.session.shown) > 1
        assert screen.paper_list.cursor == 0 and screen.paper_list.current is screen.session.shown[0]
