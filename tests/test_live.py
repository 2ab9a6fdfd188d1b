"""LiveSource against a real local HTTP server: paths, paging, walk-back, fallback, errors."""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

import pytest
from httpserver import FixtureServer, Recorded, Reply, elapsed, fixture_json, fixture_text, free_port

from reader import __version__
from reader.model.errors import FetchError
from reader.sources.live import BASE_URL_ENV, FetchResult, LiveSource
from reader.sources.periods import Period

DAY_ITEMS: list[dict[str, Any]] = fixture_json("live-day.json")
SEARCH_ITEMS: list[dict[str, Any]] = fixture_json("live-search.json")


def make_items(count: int, start: int = 0) -> list[dict[str, Any]]:
    """``count`` distinct API items cloned from the fixture (ids 2503.20000+n)."""
    items = []
    for n in range(start, start + count):
        item = copy.deepcopy(DAY_ITEMS[n % len(DAY_ITEMS)])
        item["paper"]["id"] = f"2503.{20000 + n}"
        item["paper"]["title"] = item["title"] = f"Paper number {n}"
        items.append(item)
    return items


# -- what each period asks for ----------------------------------------------------------


def test_day_asks_for_the_date(server: FixtureServer, live: LiveSource) -> None:
    server.routes["/api/daily_papers"] = Reply.json(DAY_ITEMS)
    result = live.fetch(Period("day", "2025-03-18"))
    assert isinstance(result, FetchResult)
    assert [p.arxiv_id for p in result.papers] == ["2503.13001", "2503.13002", "2503.13003"]
    assert result.period == Period("day", "2025-03-18")
    assert "/api/daily_papers?date=2025-03-18" in result.source_url
    (request,) = server.requests
    assert request.path == "/api/daily_papers"
    assert request.params == {"date": "2025-03-18", "limit": "100", "p": "0"}
    assert request.headers["user-agent"] == f"paper-reader/{__version__}"
    assert "application/json" in request.headers["accept"]


def test_paper_fields_come_through(server: FixtureServer, live: LiveSource) -> None:
    server.routes["/api/daily_papers"] = Reply.json(DAY_ITEMS)
    first = live.fetch(Period("day", "2025-03-18")).papers[0]
    assert first.title == "Sparse Attention for Long Video Understanding"
    assert first.authors == ["Ada Lovelace", "Alan Turing"]
    assert first.code_url == "https://github.com/example/sparse-video"
    assert first.upvotes == 31


def test_week_pages_until_a_short_page(server: FixtureServer) -> None:
    pages = {0: make_items(3, 0), 1: make_items(3, 3), 2: make_items(1, 6)}
    server.routes["/api/daily_papers"] = lambda r: Reply.json(pages.get(int(r.params["p"]), []))
    with LiveSource(server.url, page_size=3) as live:
        result = live.fetch(Period("week", "2025-W12"))
    assert len(result.papers) == 7
    assert [r.params for r in server.requests] == [
        {"week": "2025-W12", "limit": "3", "p": "0"},
        {"week": "2025-W12", "limit": "3", "p": "1"},
        {"week": "2025-W12", "limit": "3", "p": "2"},
    ]


def test_month_stops_when_the_server_ignores_pages(server: FixtureServer) -> None:
    server.routes["/api/daily_papers"] = Reply.json(make_items(3))
    with LiveSource(server.url, page_size=3) as live:
        result = live.fetch(Period("month", "2025-03"))
    assert len(result.papers) == 3
    assert len(server.requests) == 2
    assert server.requests[0].params == {"month": "2025-03", "limit": "3", "p": "0"}


def test_paging_is_bounded(server: FixtureServer) -> None:
    server.routes["/api/daily_papers"] = lambda r: Reply.json(make_items(2, 2 * int(r.params["p"])))
    with LiveSource(server.url, page_size=2, max_pages=4) as live:
        result = live.fetch(Period("month", "2025-03"))
    assert len(server.requests) == 4
    assert len(result.papers) == 8


def test_an_exactly_full_last_page_ends_on_the_empty_one(server: FixtureServer) -> None:
    pages = {0: make_items(2, 0)}
    server.routes["/api/daily_papers"] = lambda r: Reply.json(pages.get(int(r.params["p"]), []))
    with LiveSource(server.url, page_size=2) as live:
        assert len(live.fetch(Period("week", "2025-W12")).papers) == 2
    assert len(server.requests) == 2


def test_trending(server: FixtureServer, live: LiveSource) -> None:
    server.routes["/api/daily_papers"] = Reply.json(DAY_ITEMS)
    result = live.fetch(Period("trending"))
    assert len(result.papers) == 3
    assert result.period == Period("trending")
    assert server.requests[0].params == {"sort": "trending", "limit": "100"}


def test_search(server: FixtureServer, live: LiveSource) -> None:
    server.routes["/api/papers/search"] = Reply.json(SEARCH_ITEMS)
    result = live.fetch(Period("search", "reward  models & more"))
    assert [p.title for p in result.papers] == ["Alignment via Preference Optimisation"]
    assert server.requests[0].path == "/api/papers/search"
    assert server.requests[0].params == {"q": "reward models & more", "limit": "100"}


def test_search_query_is_cut_to_250_chars(server: FixtureServer, live: LiveSource) -> None:
    server.routes["/api/papers/search"] = Reply.json([])
    result = live.fetch(Period("search", "x" * 400))
    assert result.papers == []
    assert server.requests[0].params["q"] == "x" * 250


def test_base_url_from_the_environment(server: FixtureServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BASE_URL_ENV, server.url + "/")
    server.routes["/api/daily_papers"] = Reply.json(DAY_ITEMS)
    with LiveSource() as live:
        assert live.base_url == server.url
        assert len(live.fetch(Period("day", "2025-03-18")).papers) == 3


def test_default_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(BASE_URL_ENV, raising=False)
    assert LiveSource().base_url == "https://huggingface.co"


# -- the latest day ----------------------------------------------------------------------


def test_latest_day_walks_back_over_a_weekend(server: FixtureServer, live: LiveSource) -> None:
    lists = {"2025-03-14": DAY_ITEMS}  # Friday; Monday morning, the weekend: nothing
    server.routes["/api/daily_papers"] = lambda r: Reply.json(lists.get(r.params["date"], []))
    result = live.fetch_latest_day(date(2025, 3, 17))
    assert result.period == Period("day", "2025-03-14")
    assert len(result.papers) == 3
    assert [r.params["date"] for r in server.requests] == [
        "2025-03-17", "2025-03-16", "2025-03-15", "2025-03-14"]


def test_latest_day_is_today_when_today_has_papers(server: FixtureServer, live: LiveSource) -> None:
    server.routes["/api/daily_papers"] = Reply.json(DAY_ITEMS)
    assert live.fetch_latest_day(date(2025, 3, 18)).period == Period("day", "2025-03-18")
    assert len(server.requests) == 1


def test_latest_day_skips_a_day_the_server_calls_future(server: FixtureServer, live: LiveSource) -> None:
    def answer(request: Recorded) -> Reply:
        if request.params["date"] == "2025-03-18":
            return Reply.json({"error": "Date is in the future"}, status=400)
        return Reply.json(DAY_ITEMS)

    server.routes["/api/daily_papers"] = answer
    assert live.fetch_latest_day(date(2025, 3, 18)).period == Period("day", "2025-03-17")


def test_latest_day_gives_up_after_a_week(server: FixtureServer, live: LiveSource) -> None:
    server.routes["/api/daily_papers"] = Reply.json([])
    result = live.fetch_latest_day(date(2025, 3, 18))
    assert result.papers == []
    assert result.period == Period("day", "2025-03-18")
    assert len(server.requests) == 8


def test_latest_day_stops_at_once_when_offline() -> None:
    live = LiveSource(f"http://127.0.0.1:{free_port()}", connect_timeout=2)
    with pytest.raises(FetchError, match="offline"):
        live.fetch_latest_day(date(2025, 3, 18))


# -- the HTML fallback -------------------------------------------------------------------


def test_page_answers_when_the_api_path_is_gone(server: FixtureServer, live: LiveSource) -> None:
    server.routes["/papers/date/2025-03-18"] = Reply.html(fixture_text("live-day.html"))
    result = live.fetch(Period("day", "2025-03-18"))
    assert [p.arxiv_id for p in result.papers] == ["2503.13001", "2503.13002"]
    assert result.source_url.endswith("/papers/date/2025-03-18")
    assert result.period == Period("day", "2025-03-18")
    assert server.paths() == ["/api/daily_papers", "/papers/date/2025-03-18"]
    assert "text/html" in server.requests[1].headers["accept"]


def test_page_answers_malformed_json(server: FixtureServer, live: LiveSource) -> None:
    body = Reply.json(DAY_ITEMS).body
    server.routes["/api/daily_papers"] = Reply(200, body[: len(body) // 2],
                                               {"Content-Type": "application/json"})
    server.routes["/papers/week/2025-W12"] = Reply.html(fixture_text("live-day.html"))
    result = live.fetch(Period("week", "2025-W12"))
    assert len(result.papers) == 2
    assert server.paths()[-1] == "/papers/week/2025-W12"


def test_page_answers_when_the_api_sends_html(server: FixtureServer, live: LiveSource) -> None:
    server.routes["/api/daily_papers"] = Reply.html("<html><body>maintenance</body></html>")
    server.routes["/papers/month/2025-03"] = Reply.html(fixture_text("live-day.html"))
    assert len(live.fetch(Period("month", "2025-03")).papers) == 2


def test_page_answers_a_server_error(server: FixtureServer, live: LiveSource) -> None:
    server.routes["/api/daily_papers"] = Reply.json({"error": "boom"}, status=502)
    server.routes["/papers/trending"] = Reply.html(fixture_text("live-day.html"))
    result = live.fetch(Period("trending"))
    assert len(result.papers) == 2
    assert result.period == Period("trending")


def test_search_page_fallback(server: FixtureServer, live: LiveSource) -> None:
    server.routes["/api/papers/search"] = Reply.text("Not Found", 404)
    server.routes["/papers"] = Reply.html(fixture_text("live-search.html"))
    result = live.fetch(Period("search", "alignment"))
    assert [p.arxiv_id for p in result.papers] == ["2310.00001"]
    assert server.requests[-1].params == {"q": "alignment"}
    assert result.period == Period("search", "alignment")


def test_no_fallback_for_a_bad_request_or_rate_limit(server: FixtureServer, live: LiveSource) -> None:
    server.routes["/api/daily_papers"] = Reply.json({"error": "bad"}, status=400)
    with pytest.raises(FetchError):
        live.fetch(Period("day", "2099-01-01"))
    server.routes["/api/daily_papers"] = Reply.json({}, status=429)
    with pytest.raises(FetchError):
        live.fetch(Period("day", "2025-03-18"))
    assert all(path.startswith("/api/") for path in server.paths())


def test_page_without_its_data_island_gives_the_api_error(server: FixtureServer, live: LiveSource) -> None:
    server.routes["/papers/date/2025-03-18"] = Reply.html(fixture_text("live-no-island.html"))
    with pytest.raises(FetchError) as caught:
        live.fetch(Period("day", "2025-03-18"))
    assert caught.value.status == 404
    assert one_line(caught.value) == "Hugging Face has no such list (HTTP 404 for /api/daily_papers)"


def test_both_failing_tells_the_api_status(server: FixtureServer, live: LiveSource) -> None:
    server.routes["/api/daily_papers"] = Reply.text("oops", 500)
    server.routes["/papers/date/2025-03-18"] = Reply.text("oops", 503)
    with pytest.raises(FetchError) as caught:
        live.fetch(Period("day", "2025-03-18"))
    assert str(caught.value) == "Hugging Face is having trouble (HTTP 500); try again later"
    assert caught.value.status == 500


def test_malformed_everywhere(server: FixtureServer, live: LiveSource) -> None:
    server.routes["/api/daily_papers"] = Reply.json({"unexpected": True})
    with pytest.raises(FetchError, match=r"^malformed answer from 127\.0\.0\.1:\d+ \(") as caught:
        live.fetch(Period("day", "2025-03-18"))
    assert "\n" not in str(caught.value)


# -- errors ------------------------------------------------------------------------------


def one_line(error: BaseException) -> str:
    message = str(error)
    assert message and "\n" not in message
    return message


def test_connection_refused_means_offline() -> None:
    port = free_port()
    with LiveSource(f"http://127.0.0.1:{port}") as live, pytest.raises(FetchError) as caught:
        live.fetch(Period("day", "2025-03-18"))
    assert one_line(caught.value) == f"cannot reach 127.0.0.1:{port} — offline?"
    assert caught.value.status is None


def test_tls_trouble_is_not_called_offline(server: FixtureServer) -> None:
    with LiveSource(server.url.replace("http://", "https://")) as live, \
            pytest.raises(FetchError) as caught:
        live.fetch(Period("day", "2025-03-18"))
    assert one_line(caught.value) == f"cannot make a secure (TLS) connection to {server.host}"


@pytest.mark.parametrize("base", ["ftp://example.invalid", "http://[::1:8080", "http://[::1]:99999"])
def test_bad_base_url(base: str) -> None:
    with LiveSource(base) as live, pytest.raises(FetchError) as caught:
        live.fetch(Period("day", "2025-03-18"))
    assert one_line(caught.value) == f"bad base URL {base!r} (check PAPER_READER_BASE_URL)"


def test_slow_headers_time_out(server: FixtureServer) -> None:
    server.routes["/api/daily_papers"] = Reply.json(DAY_ITEMS, delay=5)
    with LiveSource(server.url, read_timeout=0.3, deadline=3) as live:
        took, outcome = elapsed(lambda: live.fetch(Period("day", "2025-03-18")))
    assert isinstance(outcome, FetchError)
    assert one_line(outcome) == f"{server.host} timed out (no data for 0.3 s)"
    assert took < 2


def test_stalled_body_times_out(server: FixtureServer) -> None:
    server.routes["/api/daily_papers"] = Reply.json(DAY_ITEMS, stall_after=40)
    with LiveSource(server.url, read_timeout=0.3, deadline=3) as live:
        took, outcome = elapsed(lambda: live.fetch(Period("day", "2025-03-18")))
    assert isinstance(outcome, FetchError)
    assert "timed out" in one_line(outcome)
    assert took < 2
    assert server.paths() == ["/api/daily_papers"]  # a timeout is not a reason to try the page


def test_trickling_body_hits_the_deadline(server: FixtureServer) -> None:
    server.routes["/api/daily_papers"] = Reply.json(DAY_ITEMS, trickle=0.05)
    with LiveSource(server.url, read_timeout=0.5, deadline=0.6) as live:
        took, outcome = elapsed(lambda: live.fetch(Period("day", "2025-03-18")))
    assert isinstance(outcome, FetchError)
    assert one_line(outcome) == f"{server.host} timed out (the answer took over 0.6 s)"
    assert took < 0.6 + 0.5 + 0.5


def test_rate_limited_with_seconds(server: FixtureServer, live: LiveSource) -> None:
    server.routes["/api/daily_papers"] = Reply.json({"error": "slow down"}, status=429,
                                                   headers={"Retry-After": "42"})
    with pytest.raises(FetchError) as caught:
        live.fetch(Period("day", "2025-03-18"))
    assert one_line(caught.value) == "rate limited by Hugging Face; retry in 42 s"
    assert caught.value.status == 429
    assert caught.value.retry_after == 42


def test_rate_limited_with_a_date(server: FixtureServer, live: LiveSource) -> None:
    when = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=90), usegmt=True)
    server.routes["/api/daily_papers"] = Reply(429, b"", {"Retry-After": when})
    with pytest.raises(FetchError) as caught:
        live.fetch(Period("day", "2025-03-18"))
    assert caught.value.retry_after is not None and 80 < caught.value.retry_after <= 90
    assert one_line(caught.value).startswith("rate limited by Hugging Face; retry in ")


def test_rate_limited_without_a_hint(server: FixtureServer, live: LiveSource) -> None:
    server.routes["/api/daily_papers"] = Reply(429, b"", {"Retry-After": "soon-ish"})
    with pytest.raises(FetchError) as caught:
        live.fetch(Period("day", "2025-03-18"))
    assert one_line(caught.value) == "rate limited by Hugging Face; retry later"
    assert caught.value.retry_after is None


def test_future_date_is_refused(server: FixtureServer, live: LiveSource) -> None:
    server.routes["/api/daily_papers"] = Reply.json({"error": "Date must be in the past"}, status=400)
    with pytest.raises(FetchError) as caught:
        live.fetch(Period("day", "2099-01-01"))
    assert one_line(caught.value) == (
        "Hugging Face has no list for 2099-01-01 — a future or invalid day? "
        "(HTTP 400: Date must be in the past)"
    )
    assert caught.value.status == 400


@pytest.mark.parametrize(("status", "words"), [(403, "refused access (HTTP 403)"),
                                               (418, "unexpected answer from Hugging Face (HTTP 418)")])
def test_other_statuses(server: FixtureServer, live: LiveSource, status: int, words: str) -> None:
    server.routes["/api/daily_papers"] = Reply.text("no", status)
    with pytest.raises(FetchError) as caught:
        live.fetch(Period("day", "2025-03-18"))
    assert words in one_line(caught.value)
    assert caught.value.status == status


def test_connection_dropped_before_answering(server: FixtureServer, live: LiveSource) -> None:
    server.routes["/api/daily_papers"] = Reply.json(DAY_ITEMS, close_before_headers=True)
    with pytest.raises(FetchError) as caught:
        live.fetch(Period("day", "2025-03-18"))
    assert one_line(caught.value) == (
        f"connection to {server.host} closed before the answer was complete")


def test_connection_dropped_mid_body(server: FixtureServer, live: LiveSource) -> None:
    server.routes["/api/daily_papers"] = Reply.json(DAY_ITEMS, close_after=100)
    with pytest.raises(FetchError, match="closed before the answer was complete"):
        live.fetch(Period("day", "2025-03-18"))


def test_body_too_large_by_its_header(server: FixtureServer) -> None:
    server.routes["/api/daily_papers"] = Reply.json(DAY_ITEMS)
    with LiveSource(server.url, max_bytes=1000) as live, pytest.raises(FetchError) as caught:
        live.fetch(Period("day", "2025-03-18"))
    assert one_line(caught.value) == f"answer from {server.host} is larger than 1000 bytes"


def test_body_too_large_without_a_length(server: FixtureServer) -> None:
    reply = Reply.json(DAY_ITEMS)
    reply.headers["Content-Length"] = None
    server.routes["/api/daily_papers"] = reply
    with LiveSource(server.url, max_bytes=1000) as live, pytest.raises(FetchError, match="larger than"):
        live.fetch(Period("day", "2025-03-18"))


def test_a_body_read_to_close_is_fine(server: FixtureServer, live: LiveSource) -> None:
    reply = Reply.json(DAY_ITEMS)
    reply.headers["Content-Length"] = None
    server.routes["/api/daily_papers"] = reply
    assert len(live.fetch(Period("day", "2025-03-18")).papers) == 3


def test_one_source_serves_many_fetches(server: FixtureServer, live: LiveSource) -> None:
    server.routes["/api/daily_papers"] = Reply.json(DAY_ITEMS)
    for day in range(10, 15):
        assert len(live.fetch(Period("day", f"2025-03-{day}")).papers) == 3
    assert len(server.requests) == 5


def test_a_server_error_text_reaches_the_screen_clean(server: FixtureServer, live: LiveSource) -> None:
    server.routes["/api/daily_papers"] = Reply.json({"error": "bad \x1b]52;c;aGk=\x07date \x1b[31mred\u202e"}, status=400)
    with pytest.raises(FetchError) as caught:
        live.fetch(Period("day", "2099-01-01"))
    assert "bad date red" in str(caught.value)
    assert not any(ch in str(caught.value) for ch in "\x1b\x07\u202e")


def test_an_unknown_charset_is_read_as_utf8(server: FixtureServer, live: LiveSource) -> None:
    page = fixture_text("live-day.html")
    server.routes["/api/daily_papers"] = Reply.html("<html><body>maintenance</body></html>")
    server.routes["/papers/date/2025-03-18"] = Reply(200, page.encode(), {"Content-Type": "text/html; charset=bogus-9"})
    assert len(live.fetch(Period("day", "2025-03-18")).papers) == 2
