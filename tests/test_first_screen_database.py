"""Without a true saved first screen, the first frame is the database's newest rows with
their marks pending; the store opens after it and the rows show the true marks."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from helpers.settling import until_idle
from reader.cli import make_app
from reader.library import first_screen
from reader.library.store import Store
from reader.model import Paper, StoreError
from reader.session.loader import sample_papers


def screen_lines(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [strip.text for strip in app.screen._compositor.render_strips()]  # type: ignore[attr-defined]


def row_of(app, title: str) -> str:  # type: ignore[no-untyped-def]
    """The screen row that shows ``title`` (its first 30 characters)."""
    return next(line for line in screen_lines(app) if title[:30] in line)


def marked_library(data_dir: Path) -> list[str]:
    """A library whose newest paper is read and second newest bookmarked, closed without
    its first screen saved (as after a kill); the titles, newest first."""
    store = Store(data_dir)
    store.open()
    store.add_papers(sample_papers())
    newest = store.library()
    store.see(newest)  # seen in an earlier visit: no longer new
    store.set_read(newest[0], True)
    store.set_bookmarked(newest[1], True)
    store.close()
    assert not (data_dir / first_screen.FILE_NAME).exists()
    return [paper.title for paper in newest]


def dated(n: int, published: str | None) -> Paper:
    return Paper(title=f"Paper {n:03d} on sparse rewards", abstract=f"Abstract {n}.",
                 arxiv_id=f"2501.{n:05d}", published=published)


def test_the_newest_rows_are_the_librarys_first_rows_across_months(data_dir: Path) -> None:
    store = Store(data_dir)
    store.open()
    papers = [dated(n, f"2025-{1 + n % 3:02d}-{1 + n % 7:02d}") for n in range(60)]
    papers += [dated(100 + n, None) for n in range(5)]  # undated: the library's last rows
    store.add_papers(papers)
    whole = [paper.key for paper in store.library()]
    store.close()
    reader = Store(data_dir)  # never opened: the rows are read without the store
    for limit in (1, 7, 20, 21, 60, 62, 200):
        newest = reader.papers.newest(limit)
        assert newest is not None and [paper.key for paper in newest] == whole[:limit]
    assert not reader.is_open
    assert reader.papers.newest(3)[0].abstract.startswith("Abstract ")  # read from the database when asked


def test_rows_a_killed_reader_left_in_the_log_are_read(data_dir: Path) -> None:
    store = Store(data_dir)
    store.open()
    store.add_papers([dated(n, "2025-03-01") for n in range(3)])
    assert (data_dir / "library.sqlite3-wal").stat().st_size  # not yet moved into the file
    newest = Store(data_dir).papers.newest(200)
    assert newest is not None and len(newest) == 3
    store.close()


def test_no_rows_without_a_usable_database(data_dir: Path) -> None:
    assert first_screen.newest_first_screen(Store(data_dir)) is None  # first start: nothing there
    assert not (data_dir / "library.sqlite3").exists(), "looking must not create the library"
    store = Store(data_dir)
    store.open()
    store.close()
    assert first_screen.newest_first_screen(Store(data_dir)) is None  # an empty library
    database = data_dir / "library.sqlite3"
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE schema_versions SET version = 99 WHERE part = 'papers'")
    conn.close()
    assert first_screen.newest_first_screen(Store(data_dir)) is None  # tables of a newer reader
    database.write_bytes(b"not a database at all" * 100)
    assert first_screen.newest_first_screen(Store(data_dir)) is None  # damaged


async def test_the_first_frame_comes_from_the_database_then_the_marks(data_dir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from reader.screens import main

    titles = marked_library(data_dir)
    monkeypatch.setattr(main, "FRAME_WRITE_GRACE", 30.0)  # the store would open only on demand
    app = make_app(["--offline", "--data-dir", str(data_dir)])
    assert not app.store.is_open  # the first frame needs no store
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert not app.store.is_open and screen.marks_pending
        assert [p.title for p in screen.paper_list.papers] == titles
        header = screen_lines(app)[1]
        assert "reading marks…" in header and "unread" not in header
        for title in titles[:3]:  # neither read nor unread: no dot, no star
            assert "●" not in row_of(app, title) and "★" not in row_of(app, title)
        screen._open_store()  # what the first frame's timer does
        await until_idle(pilot)  # the store opens in a worker, then the library loads in another
        assert app.store.is_open and not screen.marks_pending
        header = screen_lines(app)[1]
        assert "reading marks…" not in header and f"{len(titles) - 1} unread · 1 ★" in header
        assert "●" not in row_of(app, titles[0])  # read
        assert "★" in row_of(app, titles[1]) and "●" in row_of(app, titles[1])
        assert "●" in row_of(app, titles[2])
        assert screen.status.unread == len(titles) - 1 and screen.status.bookmarked == 1
        await pilot.press("q")


async def test_without_waiting_the_store_opens_after_the_first_frame(data_dir: Path) -> None:
    titles = marked_library(data_dir)
    app = make_app(["--offline", "--data-dir", str(data_dir)])
    assert not app.store.is_open
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            await pilot.pause(0.02)
            if app.store.is_open and not app.screen.status.loading:
                break
        assert app.store.is_open and not app.screen.marks_pending
        assert [p.title for p in app.screen.paper_list.papers] == titles
        assert app.screen.status.unread == len(titles) - 1
        assert "●" not in row_of(app, titles[0]) and "●" in row_of(app, titles[2])
        await pilot.press("q")
    assert (data_dir / first_screen.FILE_NAME).exists()  # the next start paints from it


async def test_a_mark_key_before_the_store_opens_is_not_lost(data_dir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from reader.screens import main

    titles = marked_library(data_dir)
    monkeypatch.setattr(main, "FRAME_WRITE_GRACE", 30.0)
    app = make_app(["--offline", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "j", "r", "k", "k", "r")  # the first r opens the store
        assert app.store.is_open and not app.screen.marks_pending
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert app.store.mark(app.screen.paper_list.papers[2]).read  # unread before: now read
        assert not app.store.mark(app.screen.paper_list.papers[0]).read  # read before: toggled back
        assert app.screen.paper_list.current.title == titles[0]
        await pilot.press("q")
    again = Store(data_dir)
    again.open()
    newest = again.library()
    assert again.mark(newest[2]).read and not again.mark(newest[0]).read and again.mark(newest[1]).bookmarked
    again.close()


async def test_unread_only_before_the_store_opens_filters_by_the_true_marks(data_dir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from reader.screens import main

    titles = marked_library(data_dir)
    monkeypatch.setattr(main, "FRAME_WRITE_GRACE", 30.0)
    app = make_app(["--offline", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("u")
        assert app.store.is_open
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        shown = [p.title for p in app.screen.paper_list.papers]
        assert shown == titles[1:]  # the read one is left out
        await pilot.press("q")


async def test_damaged_marks_found_after_the_first_frame_are_kept_aside(data_dir: Path) -> None:
    titles = marked_library(data_dir)
    (data_dir / "state.json").write_bytes(b'{"marks": {"1": {"key": "arxiv:25')
    app = make_app(["--offline", "--data-dir", str(data_dir)])
    assert not app.store.is_open
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.1)
        await pilot.app.workers.wait_for_complete()
        kept = sorted(data_dir.glob("state.damaged-*.json"))
        assert len(kept) == 1
        assert any(kept[0].name in n.message for n in app._notifications if n.severity == "warning")
        assert [p.title for p in app.screen.paper_list.papers] == titles
        assert app.screen.status.unread == len(titles)  # the marks were lost with the file
        await pilot.press("b")
        assert app.store.mark(app.screen.paper_list.current).bookmarked
        await pilot.press("q")


async def test_newer_marks_found_after_the_first_frame_end_the_reader_in_one_line(data_dir: Path) -> None:
    marked_library(data_dir)
    state = data_dir / "state.json"
    data = json.loads(state.read_text())
    data["meta"] = {"1": {"schema": 99}}
    state.write_text(json.dumps(data))
    before = state.read_bytes()
    app = make_app(["--offline", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
    assert app.return_code == 2
    assert state.read_bytes() == before, "a newer file must never be overwritten"


def test_a_damaged_or_newer_database_takes_the_ordinary_start(data_dir: Path) -> None:
    marked_library(data_dir)
    database = data_dir / "library.sqlite3"
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE schema_versions SET version = 99 WHERE part = 'papers'")
    conn.close()
    with pytest.raises(StoreError, match="newer paper-reader") as caught:
        make_app(["--offline", "--data-dir", str(data_dir)])
    assert "\n" not in str(caught.value)
    database.write_bytes(b"not a database at all" * 100)
    app = make_app(["--offline", "--data-dir", str(data_dir)])
    assert app.store.is_open  # opened before the first frame: the damaged file set aside
    assert any("damaged" in warning for warning in app._warnings)
    assert list(data_dir.glob("library.sqlite3.damaged-*"))
    app.store.close()


def test_a_start_on_another_view_or_an_empty_library_opens_the_store_first(data_dir: Path) -> None:
    app = make_app(["--offline", "--data-dir", str(data_dir)])  # no library at all
    assert app.store.is_open
    app.store.close()
    marked_library(data_dir)
    app = make_app(["--sample", "--data-dir", str(data_dir)])
    assert app.store.is_open
    app.store.close()
