"""Search through the library's database answers exactly what ``search.matches`` does."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.library.store import Store
from reader.model.paper import Paper
from reader.search.database_index import DatabaseIndex, is_indexable
from reader.search.query import parse_query, scan
from tests.test_search_index import Marks, papers_strategy, query_strategy


def library_of(data_dir: Path, papers: list[Paper]) -> Store:
    store = Store(data_dir)
    store.open()
    store.add_papers(papers)
    return store


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(papers_strategy, query_strategy, st.lists(st.tuples(st.integers(0, 11), st.booleans(), st.booleans())))
def test_the_database_finds_what_the_scan_finds(papers: list[Paper], query: str, marks_set: list) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = library_of(Path(folder), papers)
        listed = store.library()
        marks = Marks()
        for position, read, bookmarked in marks_set:
            if position < len(listed):
                marks.set(listed[position], read, bookmarked)
        parsed = parse_query(query)
        index = DatabaseIndex(listed, marks, store.papers.connect())
        assert index.filter(parsed) == scan(listed, parsed, marks)
        some = listed[::3]  # a small part of the library scans its own rows for a short term
        assert DatabaseIndex(some, marks, store.papers.connect()).filter(parsed) == scan(some, parsed, marks)
        store.close()


def test_a_list_of_some_library_papers_finds_only_its_own(tmp_path: Path) -> None:
    papers = [Paper(title=f"Diffusion {n}", arxiv_id=f"2501.{n:05d}", abstract=f"about transformers {n}")
              for n in range(10)]
    store = library_of(tmp_path, papers)
    some = store.add_papers(papers[3:6], listing="day:2025-01-01")
    assert is_indexable(some) and not is_indexable(papers)
    index = DatabaseIndex(some, Marks(), store.papers.connect())
    assert index.filter(parse_query("transformers")) == [0, 1, 2]
    assert index.filter(parse_query('"transformers 4"')) == [1]
    assert index.filter(parse_query("title:4")) == [1]  # a short term, scanned
    assert index.filter(parse_query("-diffusion")) == []
    store.add_papers([Paper(title="Diffusion 4", arxiv_id="2501.00004", abstract="now about mamba")])
    assert index.filter(parse_query("mamba")) == [1]  # the database's text, as it is now
    store.close()


async def test_the_reader_searches_the_library_in_its_database_without_building_an_index(
    data_dir: Path, monkeypatch  # type: ignore[no-untyped-def]
) -> None:
    from dataclasses import replace

    from reader.cli import make_app
    from reader.search import index_cache
    from reader.search.index import IndexPart
    from tests.test_index_cache import papers

    store = Store(data_dir)
    store.open()
    store.add_papers([replace(p, published=f"2024-01-{1 + i % 28:02d}") for i, p in enumerate(papers(2100))])
    store.close()
    monkeypatch.setattr(IndexPart, "build", classmethod(lambda *a: pytest.fail("an index was built in memory")))

    async def searched(query: str) -> list[str]:
        app = make_app(["--offline", "--data-dir", str(data_dir)])
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(400):
                if getattr(app.screen, "index", None) is not None:
                    break
                await pilot.pause(0.05)
            assert isinstance(app.screen.index, DatabaseIndex)
            await pilot.press("slash", *query, "enter")
            return [p.title for p in app.screen.paper_list.papers]

    first = await searched("nakamura")
    assert await searched("nakamura") == first
    assert len(first) == len(range(0, 2100, 9))
    assert not (data_dir / index_cache.DIR_NAME).exists()


def slow_instr(calls: list[int], pause: float):  # type: ignore[no-untyped-def]
    """SQLite's ``instr`` (1-based, 0 when absent), ``pause`` seconds a row: a scan that
    takes long enough to be made stale while it runs."""
    import time

    def instr(haystack: str | None, needle: str | None) -> int | None:
        calls.append(1)
        time.sleep(pause)
        if haystack is None or needle is None:
            return None
        return haystack.find(needle) + 1

    return instr


def test_only_a_term_too_short_for_the_trigrams_and_not_answered_before_answers_later(tmp_path: Path) -> None:
    papers = [Paper(title=f"Diffusion {n}", arxiv_id=f"2501.{n:05d}", abstract=f"about transformers {n}")
              for n in range(10)]
    store = library_of(tmp_path, papers)
    listed = store.library()
    index = DatabaseIndex(listed, Marks(), store.papers.connect())
    assert index.answers_later(parse_query("tr"))
    assert index.answers_later(parse_query("diffusion title:4"))
    assert not index.answers_later(parse_query("transformers"))
    assert not index.answers_later(parse_query("is:unread has:code"))
    assert index.answer(parse_query("title:4"), lambda: False) == scan(listed, parse_query("title:4"), Marks()) != []
    assert not index.answers_later(parse_query("title:4"))  # kept: answered at once now
    assert index.answer(parse_query("tr"), lambda: True) is None  # stale before it began
    assert index.answers_later(parse_query("tr"))  # and nothing was kept of it
    store.close()


def test_a_stale_scan_is_interrupted_while_it_runs_and_keeps_nothing(tmp_path: Path) -> None:
    import threading

    papers = [Paper(title=f"Paper {n}", arxiv_id=f"2501.{n:05d}", abstract=f"words {n % 7}") for n in range(300)]
    store = library_of(tmp_path, papers)
    listed = store.library()
    conn = store.papers.connect()
    calls: list[int] = []
    conn.create_function("instr", 2, slow_instr(calls, 0.002))
    index = DatabaseIndex(listed, Marks(), conn)
    stale = threading.Event()
    answers: list[list[int] | None] = []
    worker = threading.Thread(target=lambda: answers.append(index.answer(parse_query("3"), stale.is_set)))
    worker.start()
    while len(calls) < 5:
        threading.Event().wait(0.005)
    stale.set()
    index.interrupt()
    worker.join(timeout=5)
    assert answers == [None]
    assert len(calls) < 100  # of 900 (300 rows, 3 columns): stopped soon after it went stale
    assert index.answers_later(parse_query("3"))
    calls.clear()
    parsed = parse_query("3")
    assert index.filter(parsed) == scan(listed, parsed, Marks()) != []
    store.close()


def test_a_query_started_after_it_went_stale_stops_at_its_first_steps(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from reader.search import database_index

    monkeypatch.setattr(database_index, "PROGRESS_STEPS", 100)  # a small library's scan is a few thousand
    papers = [Paper(title=f"Paper {n}", arxiv_id=f"2501.{n:05d}", abstract=f"words {n % 7}") for n in range(300)]
    store = library_of(tmp_path, papers)
    conn = store.papers.connect()
    calls: list[int] = []
    conn.create_function("instr", 2, slow_instr(calls, 0.0))
    index = DatabaseIndex(store.library(), Marks(), conn)
    asked: list[int] = []

    def stale_once_asked() -> bool:  # fresh when the query starts, stale from its first step on
        asked.append(1)
        return len(asked) > 1

    assert index.answer(parse_query("3"), stale_once_asked) is None
    assert len(calls) < 300
    store.close()
