"""The views, their orders, `:` periods, unread stepping, undo and newness, without a UI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reader.library.store import Store
from reader.model import Paper
from reader.search import parse_query
from reader.session import MarkUndo, Listing, Request, Views, period_of, sort_orders
from reader.sources import Period

TODAY = date(2025, 3, 19)  # a Wednesday


def papers() -> list[Paper]:
    return [
        Paper(title="Alpha", arxiv_id="2503.00001", upvotes=3, github_stars=50, published="2025-03-10"),
        Paper(title="Beta", arxiv_id="2503.00002", upvotes=30, github_stars=None, published="2025-03-12"),
        Paper(title="Gamma", arxiv_id="2503.00003", upvotes=None, github_stars=500, published=None),
        Paper(title="Delta", arxiv_id="2503.00004", upvotes=7, github_stars=5, published="2025-03-15"),
    ]


@pytest.fixture
def store(tmp_path: Path):
    store = Store(tmp_path / "data")
    store.open()
    yield store
    store.close()


def names(listed) -> list[str]:
    return [p.title for p in listed]


def test_the_orders_sort_as_named_and_for_you_comes_only_with_a_ranking() -> None:
    orders = {order.name: order for order in sort_orders()}
    assert list(orders) == ["site's order", "most upvoted", "newest", "most code stars"]
    assert names(orders["site's order"].arrange(papers())) == ["Alpha", "Beta", "Gamma", "Delta"]
    assert names(orders["most upvoted"].arrange(papers())) == ["Beta", "Delta", "Alpha", "Gamma"]
    assert names(orders["newest"].arrange(papers())) == ["Delta", "Beta", "Alpha", "Gamma"]
    assert names(orders["most code stars"].arrange(papers())) == ["Gamma", "Alpha", "Delta", "Beta"]
    by_title = sort_orders(rank=lambda ps: sorted(ps, key=lambda p: p.title))
    assert by_title[-1].name == "for you"
    assert names(by_title[-1].arrange(papers())) == ["Alpha", "Beta", "Delta", "Gamma"]


@pytest.mark.parametrize(("entry", "period"), [
    ("2025-03-18", Period("day", "2025-03-18")),
    ("2025-W12", Period("week", "2025-W12")),
    ("2025-03", Period("month", "2025-03")),
    ("today", Period("day", "2025-03-19")),
    (" Yesterday ", Period("day", "2025-03-18")),
    ("trending", Period("trending")),
])
def test_go_to_takes_every_kind_of_period(entry: str, period: Period) -> None:
    assert period_of(entry, TODAY) == period


@pytest.mark.parametrize(("entry", "says"), [
    ("2025-02-30", "February 2025 has 28 days"),
    ("2025-W54", "ISO weeks 1 to 52"),
    ("2025-13", "no month 13"),
    ("soon", "not a period"),
    ("", "give a period"),
])
def test_a_bad_period_says_why_in_one_line(entry: str, says: str) -> None:
    with pytest.raises(ValueError) as error:
        period_of(entry, TODAY)
    assert says in str(error.value) and "\n" not in str(error.value)


def test_each_view_keeps_its_request_cursor_filter_and_order(store: Store) -> None:
    views = Views(store, Request("live", Period("day", "2025-03-18")), TODAY)
    assert [name for _, name, _ in views.tabs()] == ["Daily", "Weekly", "Monthly", "Trending", "Library"]
    daily = views.current
    assert daily.name == "Daily" and views.by_number(6) is None  # no search made yet
    weekly = views.by_number(2)
    assert weekly is not None and weekly.request == Request("live", Period.for_week(TODAY))
    views.show(daily, Listing(papers(), "day"))
    views.show(weekly, Listing(papers()[:2], "week"))
    daily.session.note_cursor(2)
    weekly.session.set_search("beta")
    assert views.cycle_order(daily) == "most upvoted"
    assert names(daily.session.shown) == ["Beta", "Delta", "Alpha", "Gamma"]
    assert daily.session.cursor_paper.title == "Gamma"  # the cursor stayed on its paper
    assert names(weekly.session.shown) == ["Beta"] and views.order_name(weekly) == "site's order"
    search = views.for_request(Request("live", Period("search", "video")))
    assert search.name == "Search" and views.by_number(6) is search
    assert views.place_of(Request("library")) == 4


def test_a_new_order_keeps_the_counts_without_counting_the_list_again(store: Store) -> None:
    views = Views(store, Request("live", Period("day", "2025-03-18")), TODAY)
    daily = views.current
    listed = papers()
    store.set_read(listed[0], True)
    store.set_bookmarked(listed[1], True)
    views.show(daily, Listing(listed, "day"))
    before = (daily.session.counts.unread, daily.session.counts.bookmarked, daily.new)
    counted: list[int] = []
    tally = store.tally
    store.tally = lambda papers: counted.append(len(papers)) or tally(papers)  # type: ignore[method-assign]
    views.cycle_order(daily)
    assert counted == [] and (daily.session.counts.unread, daily.session.counts.bookmarked, daily.new) == before
    assert before[:2] == store.counts(listed) == (3, 1)


def test_a_file_gets_a_view_of_its_own(store: Store, tmp_path: Path) -> None:
    views = Views(store, Request("file", path=tmp_path / "page.html"), TODAY)
    assert views.current.name == "File" and views.tabs()[-1] == (7, "File", True)
    assert views.by_number(7) is views.current
    assert Views(store, Request("library"), TODAY).by_number(7) is None


def test_next_unread_wraps_and_says_so(store: Store) -> None:
    views = Views(store, Request("library"), TODAY)
    session = views.current.session
    listed = papers()
    views.show(views.current, Listing(listed, "library"))
    store.set_read(listed[1], True)
    store.set_read(listed[2], True)
    session.note_cursor(0)
    assert session.step_unread(1) == (3, False)
    session.note_cursor(3)
    assert session.step_unread(1) == (0, True)
    session.note_cursor(0)
    assert session.step_unread(-1) == (3, True)
    for paper in listed:
        store.set_read(paper, True)
    assert session.step_unread(1) == (None, False)


def test_undo_takes_back_a_whole_change_at_once(store: Store) -> None:
    listed = papers()
    store.set_bookmarked(listed[0], True)
    undo = MarkUndo()
    undo.record("marked 4 papers read", store, listed)
    for paper in listed:
        store.set_read(paper, True)
    undo.record("unbookmark: Alpha", store, listed[:1])
    store.set_bookmarked(listed[0], False)
    assert undo.next_undo == "unbookmark: Alpha"

    def restore(paper: Paper, read: bool, bookmarked: bool) -> None:
        store.set_read(paper, read)
        store.set_bookmarked(paper, bookmarked)

    assert undo.undo(restore).what == "unbookmark: Alpha"
    assert store.mark(listed[0]).bookmarked and store.mark(listed[0]).read
    assert undo.undo(restore).what == "marked 4 papers read"
    assert store.counts(listed) == (4, 1)
    assert undo.undo(restore) is None and undo.next_undo is None


def test_newness_ends_with_a_sighting_but_only_from_the_next_visit(tmp_path: Path) -> None:
    data = tmp_path / "data"
    listed = papers()
    first = Store(data)
    first.open()
    first.add_papers(listed, listing="day:2025-03-18")
    assert all(first.mark(p).new for p in listed)
    assert first.see(listed[:2]) == 2 and first.see(listed[:2]) == 0
    assert first.mark(listed[0]).new  # seen in this visit: still shown as new till it ends
    assert first.marks.last_visit() is None
    first.close()

    second = Store(data)
    second.open()
    assert [p.title for p in listed if second.mark(p).new] == ["Gamma", "Delta"]
    assert not second.mark(listed[0]).read  # seen is not read
    assert second.marks.last_visit() is not None
    query = parse_query("is:new")
    views = Views(second, Request("library"), TODAY)
    views.show(views.current, Listing(listed, "library"))
    assert views.current.new == 2
    views.current.session.set_search("is:new")
    assert names(views.current.session.shown) == ["Gamma", "Delta"] and query.states == ["new"]
    views.current.session.set_search("-is:new")
    assert names(views.current.session.shown) == ["Alpha", "Beta"]
    second.close()


def test_a_sighting_survives_a_merge_with_a_reader_that_has_none(tmp_path: Path) -> None:
    data = tmp_path / "data"
    listed = papers()
    one, two = Store(data), Store(data)
    one.open()
    two.open()
    one.see(listed[:1])
    one.flush()
    two.set_bookmarked(listed[0], True)
    two.flush()  # merges one's sighting before it writes
    two.close()
    one.close()
    again = Store(data)
    again.open()
    assert not again.mark(listed[0]).new and again.mark(listed[0]).bookmarked
    again.close()
