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
