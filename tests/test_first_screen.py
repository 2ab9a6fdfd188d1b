"""The saved first screen: trusted only while the files it came from are unchanged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from reader.cli import make_app
from reader.library import first_screen
from reader.session.loader import sample_papers
from reader.library.store import Store


def library(data_dir: Path) -> Store:
    store = Store(data_dir)
    store.open()
    store.add_papers(sample_papers())
    return store


def saved(data_dir: Path) -> list[str]:
    """Titles of a library's newest papers after it was closed with its first screen saved."""
    store = library(data_dir)
    newest = store.library()
    store.set_read(newest[0], True)
    store.set_bookmarked(newest[1], True)
    store.flush()
    first_screen.save_first_screen(store)
    store.close()
    return [p.title for p in newest]


def test_saved_first_screen_comes_back_with_its_marks(data_dir: Path) -> None:
    titles = saved(data_dir)
    loaded = first_screen.load_first_screen(Store(data_dir))
    assert loaded is not None
    assert [p.title for p in loaded.papers] == titles[: first_screen.FIRST_SCREEN_ROWS]
    assert loaded.mark(loaded.papers[0]).read and not loaded.mark(loaded.papers[0]).bookmarked
    assert loaded.mark(loaded.papers[1]).bookmarked and not loaded.mark(loaded.papers[1]).read
    assert not loaded.mark(loaded.papers[2]).read


def test_a_mark_or_library_change_since_makes_it_untrusted(data_dir: Path) -> None:
    saved(data_dir)
    other = Store(data_dir)  # another reader marks a paper after this one exited
    other.open()
    other.set_read(other.library()[5], True)
    other.close()
    assert first_screen.load_first_screen(Store(data_dir)) is None

    saved(data_dir)
    database = data_dir / "library.sqlite3"
    database.write_bytes(database.read_bytes())  # same bytes, new file version
    assert first_screen.load_first_screen(Store(data_dir)) is None


def test_a_damaged_or_foreign_snapshot_is_ignored(data_dir: Path) -> None:
    saved(data_dir)
    path = data_dir / first_screen.FILE_NAME
    good = path.read_bytes()
    for bad in (b"", b"{", b"[]", b'{"schema": 99}', good.replace(b'"title"', b'"titel"'), good[: len(good) // 2]):
        path.write_bytes(bad)
        assert first_screen.load_first_screen(Store(data_dir)) is None


async def test_the_reader_paints_the_saved_screen_then_opens_the_store(data_dir: Path) -> None:
    titles = saved(data_dir)
    app = make_app(["--offline", "--data-dir", str(data_dir)])
    assert not app.store.is_open  # the first frame needs no store
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r")  # the newest paper was read: this makes it unread
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert app.store.is_open
        assert [p.title for p in screen.paper_list.papers] == titles
        assert not app.store.mark(screen.paper_list.papers[0]).read
        assert app.store.mark(screen.paper_list.papers[1]).bookmarked
        assert screen.status.unread == len(titles)
        await pilot.press("j", "j", "r", "q")
    again = Store(data_dir)
    again.open()
    newest = again.library()
    assert not again.mark(newest[0]).read and again.mark(newest[2]).read
    again.close()
    reopened = first_screen.load_first_screen(Store(data_dir))  # the exit saved the screen as it now is
    assert reopened is not None and reopened.mark(reopened.papers[2]).read


async def test_keys_pressed_before_the_store_opens_act_on_the_paper_under_the_cursor(data_dir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from reader.screens import main

    titles = saved(data_dir)
    monkeypatch.setattr(main, "FRAME_WRITE_GRACE", 30.0)  # the store would open only on demand
    app = make_app(["--offline", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "j")
        assert not app.store.is_open
        assert app.screen.paper_list.current.title == titles[2]
        await pilot.press("r")  # needs the store: it opens now
        assert app.store.is_open
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.screen.paper_list.papers) == len(titles)
        assert app.screen.paper_list.current.title == titles[2]  # the cursor stayed on its paper
        assert app.store.mark(app.screen.paper_list.current).read
        await pilot.press("q")


async def test_a_key_that_loads_before_the_store_opens_loads_once(data_dir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from reader.screens import main

    saved(data_dir)
    monkeypatch.setattr(main, "FRAME_WRITE_GRACE", 30.0)  # the store would open only on demand
    loads: list[str] = []
    real = main.MainScreen.start_load
    monkeypatch.setattr(main.MainScreen, "start_load", lambda self, request: loads.append(request.kind) or real(self, request))
    app = make_app(["--offline", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("R")  # refresh: needs the store, which opens now
        assert app.store.is_open
        app.screen._open_store()  # the first frame's own call, come later: nothing more to load
        await pilot.app.workers.wait_for_complete()
        assert loads == ["library"]
        await pilot.press("q")


def test_an_exit_with_nothing_changed_leaves_the_saved_screen_alone(data_dir: Path) -> None:
    saved(data_dir)
    path = data_dir / first_screen.FILE_NAME
    before = path.stat().st_mtime_ns
    store = Store(data_dir)
    store.open()
    first_screen.save_first_screen(store)  # files as they were: nothing to write
    store.close()
    assert path.stat().st_mtime_ns == before


def test_a_start_from_the_saved_screen_opens_no_database_before_its_first_frame(data_dir: Path) -> None:
    """What the first frame waits for must not include SQLite (its import alone is ~3 ms):
    the modules loaded by the time the first frame is out, in a fresh interpreter."""
    titles = saved(data_dir)
    script = f"""
import asyncio, sys
from reader.cli import make_app
from reader.screens import main as screen
seen = []
resume = screen.resume_after_first_frame
def first_frame_out():
    seen.append(sorted({{"sqlite3", "tinydb", "reader.library.database"}} & set(sys.modules)))
    resume()
screen.resume_after_first_frame = first_frame_out

async def run():
    app = make_app(["--offline", "--data-dir", {str(data_dir)!r}])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        print(app.screen.paper_list.papers[0].title == {titles[0]!r}, app.store.is_open)

asyncio.run(run())
print(seen)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["True True", "[[]]"], done.stdout
