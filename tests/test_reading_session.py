"""The reading session on its own: filters, search, counts and cursor, with no screen."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from reader.library import Store, load_first_screen, save_first_screen
from reader.model import Paper
from reader.search import SearchIndex
from reader.session import (
    INDEXED_FROM,
    LIBRARY_TITLE,
    SAMPLE_TITLE,
    LibraryStream,
    Listing,
    ReadingSession,
    Request,
    build_index,
    library_listing,
    load_in_worker,
    sample_papers,
)

QUERIES = [
    "alignment",
    "llm",
    '"large language"',
    "-alignment",
    "title:safety",
    "preference",
    "has:code",
    "-has:code alignment",
    "is:unread",
    "is:read",
    "is:bookmarked",
    "-is:bookmarked model",
    'title:"language model" -survey',
]


@pytest.fixture
def store(data_dir: Path):  # type: ignore[no-untyped-def]
    store = Store(data_dir)
    store.open()
    store.add_papers(sample_papers())
    yield store
    store.close()


def library_session(store: Store) -> ReadingSession:
    session = ReadingSession(store)
    session.show(library_listing(store.library()))
    return session


def keys(papers) -> list[str]:  # type: ignore[no-untyped-def]
    return [paper.key for paper in papers]


def test_a_new_session_shows_the_whole_list_with_its_counts(store: Store) -> None:
    papers = store.library()
    store.set_read(papers[0], True)
    store.set_bookmarked(papers[1], True)
    session = ReadingSession(store)
    session.show(library_listing(papers))
    assert session.shown is session.papers and len(session.shown) == 31
    assert (session.counts.total, session.counts.shown) == (31, 31)
    assert (session.counts.unread, session.counts.bookmarked) == (30, 1)
    assert session.title == LIBRARY_TITLE and session.is_library and session.period is None
    assert session.cursor == 0 and session.cursor_paper is papers[0]
    assert not session.indexing and not session.searching and session.filters == ()


def test_the_toggles_filter_by_the_marks_and_combine(store: Store) -> None:
    session = library_session(store)
    papers = session.papers
    for paper in (papers[2], papers[5], papers[9]):
        session.change_mark(store, paper, bookmarked=True)
    session.change_mark(store, papers[5], read=True)

    session.toggle_bookmarks_only()
    assert list(session.shown) == [papers[2], papers[5], papers[9]]
    assert session.filters == ("bookmarks only",) and session.counts.shown == 3
    session.toggle_unread_only()
    assert list(session.shown) == [papers[2], papers[9]]
    assert session.filters == ("unread only", "bookmarks only")
    session.toggle_bookmarks_only()
    assert len(session.shown) == 30 and papers[5] not in session.shown
    session.toggle_unread_only()
    assert session.shown is session.papers and session.filters == ()
    assert session.counts.total == 31  # the toggles change what is shown, never the total


def test_a_search_answers_the_same_through_a_scan_and_through_the_index(store: Store) -> None:
    papers = store.library()
    store.set_read(papers[3], True)
    store.set_read(papers[4], True)
    store.set_bookmarked(papers[4], True)
    scanned = ReadingSession(store)
    scanned.show(library_listing(papers))
    indexed = ReadingSession(store)
    indexed.show(library_listing(papers))
    index = SearchIndex.build(papers, store)
    assert index is not None and indexed.take_index(papers, index)
    assert indexed.index is index and scanned.index is None
    sizes = set()
    for query in QUERIES:
        scanned.set_search(query)
        indexed.set_search(query)
        assert keys(indexed.shown) == keys(scanned.shown), query
        assert indexed.counts.shown == len(indexed.shown)
        sizes.add(len(scanned.shown))
    assert len(sizes) > 5 and 0 < min(sizes) and max(sizes) < 31  # the queries tell papers apart
    indexed.set_search("alignment")
    indexed.toggle_unread_only()
    scanned.set_search("alignment")
    scanned.toggle_unread_only()
    assert keys(indexed.shown) == keys(scanned.shown) and papers[3] not in indexed.shown


def test_a_long_list_is_indexed_and_takes_only_its_own_index(store: Store) -> None:
    papers = [Paper(f"Paper {i} on {'sparse' if i % 3 else 'dense'} rewards", arxiv_id=f"2401.{i:05d}")
              for i in range(INDEXED_FROM + 1)]
    session = ReadingSession(store)
    session.show(Listing(papers, "Long"), partial=True)
    assert not session.indexing  # a partial list is not indexed: more is coming
    session.show(Listing(papers, "Long"))
    assert session.indexing and not session.is_library
    session.set_search("dense")
    scanned = list(session.shown)
    assert len(scanned) == len(range(0, len(papers), 3))
    stale = build_index(session.papers, store, lambda: False)
    assert stale is not None
    session.show(Listing(list(papers), "Long again"))
    assert not session.take_index(papers, stale)  # built for the list before: refused
    assert session.index is None and session.indexing
    fresh = build_index(session.papers, store, lambda: False)
    assert fresh is not None and session.take_index(session.papers, fresh)
    assert not session.indexing and not session.take_index(session.papers, fresh)
    session.set_search("sparse")
    session.set_search("dense")
    assert session.shown == scanned
    assert build_index(session.papers, store, lambda: True) is None  # cancelled


def test_counts_and_the_index_follow_a_mark_change(store: Store) -> None:
    session = library_session(store)
    index = SearchIndex.build(session.papers, store)
    assert index is not None and session.take_index(session.papers, index)
    session.set_search("alignment is:unread")
    first = session.shown[0]
    before = len(session.shown)

    mark = session.change_mark(store, first, read=True)
    assert mark.read and store.mark(first).read
    assert session.counts.unread == 30
    assert session.shown[0] is first  # the shown list waits for the next search
    session.set_search("alignment is:unread")
    assert first not in session.shown and len(session.shown) == before - 1

    session.change_mark(store, first, bookmarked=True)
    session.change_mark(store, session.papers[7], read=True, bookmarked=True)
    assert (session.counts.unread, session.counts.bookmarked) == (29, 2)
    session.change_mark(store, first, read=False)
    assert (session.counts.unread, session.counts.bookmarked) == (30, 2)
    assert (session.counts.unread, session.counts.bookmarked) == store.counts(session.papers)
    session.set_search("is:bookmarked")
    assert list(session.shown) == [p for p in session.papers if p is first or p is session.papers[7]]


def test_the_cursor_stays_on_its_paper_while_the_shown_list_changes(store: Store) -> None:
    session = library_session(store)
    session.note_cursor(6)
    paper = session.cursor_paper
    assert paper is not None and session.cursor_key == paper.key
    word = next(w for w in paper.title.lower().split() if len(w) > 4)
    session.set_search(word)
    assert session.cursor_paper is paper and len(session.shown) < 31
    session.change_mark(store, paper, bookmarked=True)
    session.toggle_bookmarks_only()
    assert list(session.shown) == [paper] and session.cursor == 0 and session.cursor_key == paper.key
    session.toggle_bookmarks_only()
    session.set_search("")
    assert session.cursor == 6 and session.cursor_paper is paper
    session.show(library_listing(list(session.papers)))  # the same papers again: the cursor stays
    assert session.cursor_paper is paper

    session.set_search("-" + word)  # the paper is left out: the cursor goes to the top
    assert session.cursor == 0 and paper not in session.shown


def test_the_cursor_follows_its_key_from_the_first_screen_to_the_store(data_dir: Path) -> None:
    store = Store(data_dir)
    store.open()
    store.add_papers(sample_papers())
    store.flush()
    save_first_screen(store)
    store.close()
    for moved in (False, True):
        store = Store(data_dir)
        first = load_first_screen(store)
        assert first is not None
        session = ReadingSession(first)
        session.show(library_listing(first.papers), partial=True)
        session.note_cursor(3)
        key = session.cursor_key
        store.open()
        session.use_marks(store)
        session.follow_cursor_key()
        if moved:
            session.note_cursor(4)  # the reader moved on before the store's papers came
        library = store.library()
        session.show(library_listing(library))
        if moved:
            assert session.cursor == 0
        else:
            assert session.cursor == 3 and session.cursor_key == key
            assert session.cursor_paper is library[3] and session.cursor_paper is not first.papers[3]
        assert session.marks is store and session.counts.unread == 31
        store.close()


def test_two_sessions_on_one_store_are_read_apart(store: Store) -> None:
    papers = store.library()
    newest = ReadingSession(store)
    newest.show(Listing(papers[:10], "Newest ten"))
    everything = ReadingSession(store)
    everything.show(library_listing(papers))

    newest.set_search("alignment")
    newest.toggle_unread_only()
    newest.note_cursor(2)
    everything.note_cursor(20)
    assert everything.search.is_empty and not everything.unread_only and everything.shown is everything.papers
    assert newest.typed == "alignment" and everything.typed == ""
    assert newest.cursor == 2 and everything.cursor == 20
    assert newest.title == "Newest ten" and everything.title == LIBRARY_TITLE

    paper = newest.cursor_paper
    assert paper is not None
    newest.change_mark(store, paper, read=True)
    assert newest.counts.unread == 9 and everything.counts.unread == 31  # told only the one
    everything.recount()
    assert everything.counts.unread == 30
    everything.toggle_unread_only()
    assert paper not in everything.shown and len(everything.shown) == 30
    assert newest.counts.total == 10 and everything.counts.total == 31


def test_the_library_streams_newest_month_first_then_whole(store: Store) -> None:
    painted = threading.Event()
    painted.set()  # as if every frame had reached the terminal
    stream = LibraryStream(store, painted)
    newest = stream.newest()
    assert newest is not None and newest.title == LIBRARY_TITLE
    months = {paper.published[:7] for paper in newest.papers if paper.published}
    assert len(months) == 1 and months == {max(p.published for p in store.library() if p.published)[:7]}
    delivered: list[tuple[int, bool]] = []
    stream.run(lambda listing, partial: delivered.append((len(listing.papers), partial)), lambda: False)
    assert delivered == [(31, False)]  # the newest month was shown already: only the whole comes

    delivered.clear()
    LibraryStream(store, painted).run(lambda listing, partial: delivered.append((len(listing.papers), partial)), lambda: False)
    assert delivered == [(len(newest.papers), True), (31, False)]  # nothing shown yet: a month first
    delivered.clear()
    LibraryStream(store, painted).run(lambda listing, partial: delivered.append((0, partial)), lambda: True)
    assert delivered == []  # cancelled before the first month


def test_an_empty_library_streams_the_sample_and_a_bad_file_fails_in_one_line(data_dir: Path) -> None:
    store = Store(data_dir)
    store.open()
    try:
        painted = threading.Event()
        stream = LibraryStream(store, painted)
        assert stream.newest() is None
        delivered: list[Listing] = []
        failures: list[str] = []
        load_in_worker(Request("library"), store, None, library=stream,
                       deliver=lambda listing, partial: delivered.append(listing),
                       failed=failures.append, cancelled=lambda: False)
        assert [listing.title for listing in delivered] == [SAMPLE_TITLE] and not failures
        assert delivered[0].notice and "empty" in delivered[0].notice
        missing = data_dir / "no-such-page.html"
        load_in_worker(Request("file", path=missing), store, None, library=LibraryStream(store, painted),
                       deliver=lambda listing, partial: delivered.append(listing),
                       failed=failures.append, cancelled=lambda: False)
        assert len(delivered) == 1 and len(failures) == 1 and "\n" not in failures[0]
    finally:
        store.close()


def test_a_search_before_the_index_is_ready_answers_from_the_newest_papers_and_says_so(store: Store) -> None:
    from reader.session.reading import SCAN_LIMIT

    papers = [Paper(f"Paper {i} on {'pruning' if i % 100 == 0 else 'scaling'}", arxiv_id=f"2401.{i:05d}")
              for i in range(SCAN_LIMIT + 5000)]
    session = ReadingSession(store)
    session.show(Listing(papers, "Long"))
    assert session.indexing
    session.set_search("pruning")
    assert session.scanned == SCAN_LIMIT and len(session.shown) == SCAN_LIMIT // 100
    index = build_index(session.papers, store, lambda: False)
    assert index is not None and session.take_index(session.papers, index)
    assert session.scanned == 0 and len(session.shown) == len(papers) // 100  # the whole list, once indexed


def test_a_search_the_database_would_scan_for_waits_and_only_the_newest_answer_is_taken(store: Store) -> None:
    from reader.search import DatabaseIndex, parse_query, scan

    session = library_session(store)
    papers = session.papers
    assert session.take_index(papers, DatabaseIndex(papers, store, store.papers.connect()))
    session.set_search("alignment")  # the trigram index answers at once
    assert session.pending is None and session.counts.shown == len(session.shown) > 0
    answered = list(session.shown)

    session.set_search("alignment ll")  # "ll" is scanned: answered later, the last answer shown meanwhile
    stale = session.pending
    assert stale is not None and list(session.shown) == answered
    session.set_search("alignment l")
    newest = session.pending
    assert newest is not None and newest is not stale and stale.stale and not newest.stale
    assert stale.answer() is None  # a stale search answers nothing
    assert not session.take_answer(stale, [0])

    positions = newest.answer()
    assert positions == scan(papers, parse_query("alignment l"), store.mark)
    assert session.take_answer(newest, positions)
    assert session.pending is None and session.scanned == 0
    assert keys(session.shown) == keys(papers[i] for i in positions) and session.counts.shown == len(positions)
    assert not session.take_answer(newest, positions)  # taken once

    session.set_search("alignment l")  # answered before: at once now
    assert session.pending is None
    session.set_search("zz")
    waiting = session.pending
    assert waiting is not None
    assert waiting.answer(lambda: True) is None  # its worker was cancelled (another view shown)
    waiting.interrupt()
    assert not waiting.stale and waiting.answer() is not None  # still wanted: answered next time
    session.show(library_listing(store.library()))  # another list: the search starts over
    assert waiting.stale and not session.take_answer(waiting, [])


def test_has_model_holds_for_a_search_answered_later_as_for_one_answered_at_once(store: Store) -> None:
    from reader.search import DatabaseIndex
    from reader.sources import parse_artefacts

    store.add_papers([Paper(f"Alignment paper {i}", "an abstract", arxiv_id=f"2501.{i:05d}") for i in range(3)])
    session = library_session(store)
    papers = session.papers
    session.hub = store.artefacts
    assert session.take_index(papers, DatabaseIndex(papers, store, store.papers.connect()))
    session.set_search("alignment")
    some = [p for p in session.shown if p.arxiv_id][:2]
    assert len(some) == 2
    store.artefacts.put(some[0].arxiv_id, parse_artefacts({"numTotalModels": 2}))
    store.artefacts.put(some[1].arxiv_id, parse_artefacts({"numTotalSpaces": 1}))
    session.set_search("alignment has:model")  # at once
    assert session.pending is None and keys(session.shown) == keys([some[0]])
    session.set_search("alignment l has:model")  # "l" is scanned: answered later
    pending = session.pending
    assert pending is not None and session.take_answer(pending, pending.answer() or [])
    assert keys(session.shown) == keys([some[0]])
    session.set_search("alignment p -has:model has:space")  # another scanned term
    pending = session.pending
    assert pending is not None and session.take_answer(pending, pending.answer() or [])
    assert keys(session.shown) == keys([some[1]])


def test_while_the_library_streams_in_its_newest_month_answers_through_that_months_index(tmp_path: Path) -> None:
    from reader.search import DatabaseIndex, parse_query, scan
    from tests.test_index_cache import papers as library_papers

    store = Store(tmp_path)
    store.open()
    store.add_papers(library_papers(900, months=3))
    months = list(store.iter_library())
    newest = months[0]
    whole = [*newest, *(paper for month in months[1:] for paper in month)]
    session = ReadingSession(store)
    session.show(library_listing(list(newest)), partial=True)
    assert session.indexing
    assert session.take_index(session.papers, DatabaseIndex(session.papers, store, store.papers.connect()))
    session.set_search("sparse")
    on_newest = keys(session.shown)

    session.show(library_listing(whole))  # the whole library: its own index is not built yet
    assert session.indexing and session.scanned == len(newest) < len(whole)
    assert keys(session.shown) == on_newest == keys(newest[i] for i in scan(newest, parse_query("sparse"), store.mark))
    session.set_search("sparse model")
    assert keys(session.shown) == keys(newest[i] for i in scan(newest, parse_query("sparse model"), store.mark))

    assert session.take_index(whole, DatabaseIndex(whole, store, store.papers.connect()))
    assert session.scanned == 0
    assert keys(session.shown) == keys(whole[i] for i in scan(whole, parse_query("sparse model"), store.mark))
    other = store.library()  # other objects: nothing to answer through, scanned as before
    session.show(library_listing(other))
    assert session.indexing and session.scanned == 0  # a list this short is scanned whole
    assert keys(session.shown) == keys(other[i] for i in scan(other, parse_query("sparse model"), store.mark))
    store.close()
