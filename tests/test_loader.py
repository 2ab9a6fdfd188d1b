"""The loader: live lists land in the store, and failures fall back with a notice."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from httpserver import FIXTURES, FixtureServer, Reply, fixture_json, free_port

from reader.model.errors import ParseError
from reader.sources.live import LiveSource
from reader.session.loader import LIBRARY_TITLE, SAMPLE_TITLE, Listing, Request, load, sample_papers
from reader.sources.periods import Period
from reader.library.store import Store


DAY_ITEMS = fixture_json("live-day.json")
TUESDAY = Period("day", "2025-03-18")
WHEN = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "data")
    opened.open()
    yield opened
    opened.close()


@pytest.fixture
def offline() -> Iterator[LiveSource]:
    port = free_port()
    with LiveSource(f"http://127.0.0.1:{port}", connect_timeout=2) as source:
        source.port = port  # type: ignore[attr-defined]
        yield source


def offline_reason(source: LiveSource) -> str:
    return f"(cannot reach 127.0.0.1:{source.port} — offline?)"  # type: ignore[attr-defined]


def ids(listing: Listing) -> list[str | None]:
    return [p.arxiv_id for p in listing.papers]


# -- live ------------------------------------------------------------------------------


def test_live_list_is_kept_in_the_store(server: FixtureServer, live: LiveSource, store: Store) -> None:
    server.routes["/api/daily_papers"] = Reply.json(DAY_ITEMS)
    listing = load(Request("live", TUESDAY), store, live)
    assert ids(listing) == ["2503.13001", "2503.13002", "2503.13003"]
    assert listing.title == "Daily papers · Tue 18 Mar 2025"
    assert listing.period == TUESDAY
    assert listing.notice is None and not listing.offline
    saved = store.saved_listing("day:2025-03-18")
    assert saved is not None and [p.arxiv_id for p in saved.papers] == ids(listing)
    assert {p.key for p in store.library()} >= {p.key for p in listing.papers}


def test_offline_falls_back_to_the_saved_list(server: FixtureServer, live: LiveSource,
                                              offline: LiveSource, store: Store) -> None:
    server.routes["/api/daily_papers"] = Reply.json(DAY_ITEMS)
    load(Request("live", TUESDAY), store, live)
    listing = load(Request("live", TUESDAY), store, offline)
    assert ids(listing) == ["2503.13001", "2503.13002", "2503.13003"]
    assert listing.offline
    assert listing.title == TUESDAY.label and listing.period == TUESDAY
    assert listing.notice is not None
    assert re.fullmatch(rf"offline — showing the library's copy from {WHEN} "
                        + re.escape(offline_reason(offline)), listing.notice)


def test_offline_without_that_list_shows_the_library(server: FixtureServer, live: LiveSource,
                                                     offline: LiveSource, store: Store) -> None:
    server.routes["/api/daily_papers"] = Reply.json(DAY_ITEMS)
    load(Request("live", TUESDAY), store, live)
    monday = TUESDAY.step(-1)
    listing = load(Request("live", monday), store, offline)
    assert sorted(ids(listing)) == ["2503.13001", "2503.13002", "2503.13003"]
    assert listing.title == LIBRARY_TITLE
    assert listing.period == monday  # [ and ] still step from the day asked for
    assert listing.offline
    assert listing.notice == f"offline — showing the local library {offline_reason(offline)}"


def test_first_run_offline_shows_the_sample(offline: LiveSource, store: Store) -> None:
    listing = load(Request("live", Period("trending")), store, offline)
    assert listing.title == SAMPLE_TITLE
    assert len(listing.papers) == len(sample_papers()) > 0
    assert listing.notice == f"offline — showing the bundled sample {offline_reason(offline)}"
    assert listing.offline
    assert len(store.library()) == len(listing.papers)  # the sample joins the library


def test_no_network_wanted(server: FixtureServer, live: LiveSource, store: Store) -> None:
    server.routes["/api/daily_papers"] = Reply.json(DAY_ITEMS)
    load(Request("live", TUESDAY), store, live)
    listing = load(Request("live", TUESDAY), store, None)
    assert listing.offline and len(listing.papers) == 3
    assert listing.notice is not None
    assert re.fullmatch(rf"offline — showing the library's copy from {WHEN}", listing.notice)


def test_future_date_shows_an_empty_list_with_the_reason(server: FixtureServer, live: LiveSource,
                                                         store: Store) -> None:
    server.routes["/api/daily_papers"] = Reply.json({"error": "Date is in the future"}, status=400)
    future = Period("day", "2099-01-01")
    listing = load(Request("live", future), store, live)
    assert listing.papers == []
    assert listing.period == future
    assert listing.notice is not None and "HTTP 400" in listing.notice and "2099-01-01" in listing.notice
    assert not listing.offline


def test_a_vanished_api_falls_back_like_offline(server: FixtureServer, live: LiveSource,
                                               store: Store) -> None:
    listing = load(Request("live", TUESDAY), store, live)  # no routes: API and page 404
    assert listing.offline and listing.title == SAMPLE_TITLE
    assert listing.notice is not None and "HTTP 404" in listing.notice


def test_rate_limit_falls_back_like_offline(server: FixtureServer, live: LiveSource, store: Store) -> None:
    server.routes["/api/daily_papers"] = Reply.json({}, status=429, headers={"Retry-After": "30"})
    listing = load(Request("live", TUESDAY), store, live)
    assert listing.offline and listing.title == SAMPLE_TITLE
    assert listing.notice == ("offline — showing the bundled sample "
                              "(rate limited by Hugging Face; retry in 30 s)")


def test_an_empty_day_says_so(server: FixtureServer, live: LiveSource, store: Store) -> None:
    server.routes["/api/daily_papers"] = Reply.json([])
    listing = load(Request("live", Period("day", "2025-03-15")), store, live)
    assert listing.papers == [] and not listing.offline
    assert listing.notice is not None and "no papers" in listing.notice


def test_html_fallback_lands_in_the_store(server: FixtureServer, live: LiveSource, store: Store) -> None:
    server.routes["/papers/date/2025-03-18"] = Reply.html((FIXTURES / "live-day.html").read_text())
    listing = load(Request("live", TUESDAY), store, live)
    assert ids(listing) == ["2503.13001", "2503.13002"]
    assert store.saved_listing("day:2025-03-18") is not None


# -- latest ------------------------------------------------------------------------------


def test_latest_walks_back_and_is_saved(server: FixtureServer, live: LiveSource, store: Store) -> None:
    lists = {"2025-03-14": DAY_ITEMS}
    server.routes["/api/daily_papers"] = lambda r: Reply.json(lists.get(r.params["date"], []))
    listing = load(Request("latest"), store, live, today=date(2025, 3, 17))
    assert listing.period == Period("day", "2025-03-14")
    assert listing.title == "Daily papers · Fri 14 Mar 2025"
    assert len(listing.papers) == 3 and listing.notice is None
    assert store.saved_listing("day:2025-03-14") is not None


def test_latest_offline_shows_the_newest_saved_day(server: FixtureServer, live: LiveSource,
                                                   offline: LiveSource, store: Store) -> None:
    server.routes["/api/daily_papers"] = Reply.json(DAY_ITEMS)
    load(Request("live", Period("day", "2025-03-14")), store, live)
    load(Request("live", Period("trending")), store, live)
    listing = load(Request("latest"), store, offline, today=date(2025, 3, 17))
    assert listing.offline and len(listing.papers) == 3
    assert listing.title == "Daily papers · Fri 14 Mar 2025"
    assert listing.notice is not None
    assert listing.notice.startswith("offline — showing the library's copy from ")
    assert listing.notice.endswith(offline_reason(offline))


def test_latest_offline_first_run_is_the_sample(offline: LiveSource, store: Store) -> None:
    listing = load(Request("latest"), store, offline, today=date(2025, 3, 17))
    assert listing.title == SAMPLE_TITLE and listing.offline
    assert listing.period == Period("day", "2025-03-17")
    assert listing.notice == f"offline — showing the bundled sample {offline_reason(offline)}"


def test_latest_with_no_list_all_week(server: FixtureServer, live: LiveSource, store: Store) -> None:
    server.routes["/api/daily_papers"] = Reply.json([])
    listing = load(Request("latest"), store, live, today=date(2025, 3, 17))
    assert listing.papers == [] and listing.notice is not None and not listing.offline


# -- file, sample, library ---------------------------------------------------------------


def test_file_is_read_and_kept(tmp_path: Path, store: Store) -> None:
    page = tmp_path / "saved page.html"
    shutil.copy(FIXTURES / "live-day.html", page)
    listing = load(Request("file", path=page), store, None)
    assert ids(listing) == ["2503.13001", "2503.13002"]
    assert listing.title == "File · saved page.html"
    assert listing.notice is None and not listing.offline
    assert store.saved_listing("file:saved page.html") is not None


def test_bad_file_raises_parse_error(tmp_path: Path, store: Store) -> None:
    with pytest.raises(ParseError):
        load(Request("file", path=tmp_path / "missing.html"), store, None)
    junk = tmp_path / "junk.txt"
    junk.write_text("nothing to see here\n")
    with pytest.raises(ParseError):
        load(Request("file", path=junk), store, None)


def test_sample_never_touches_the_network(server: FixtureServer, live: LiveSource, store: Store) -> None:
    listing = load(Request("sample"), store, live)
    assert listing.title == SAMPLE_TITLE and listing.notice is None
    assert [p.title for p in listing.papers] == [p.title for p in sample_papers()]
    assert server.requests == []
    assert len(store.library()) == len(listing.papers)


def test_library(server: FixtureServer, live: LiveSource, store: Store) -> None:
    empty = load(Request("library"), store, live)
    assert empty.papers == [] and empty.notice is not None
    server.routes["/api/daily_papers"] = Reply.json(DAY_ITEMS)
    load(Request("live", TUESDAY), store, live)
    listing = load(Request("library"), store, None)
    assert sorted(ids(listing)) == ["2503.13001", "2503.13002", "2503.13003"]
    assert listing.title == LIBRARY_TITLE and listing.notice is None
    assert len(server.requests) == 1


def test_sample_papers() -> None:
    papers = sample_papers()
    assert len(papers) > 10
    assert all(p.title for p in papers)
    assert any(p.code_url for p in papers)


def test_requests_are_checked() -> None:
    with pytest.raises(ValueError):
        Request("live")
    with pytest.raises(ValueError):
        Request("file")
    with pytest.raises(ValueError):
        Request("nonsense")  # type: ignore[arg-type]
