"""LiveSource's limits against a real local server: closing it from another thread ends
every request at once, and an answer may not inflate past the size cap."""

from __future__ import annotations

import threading
import time
from datetime import date
from typing import Any

import pytest
from httpserver import FixtureServer, Reply, elapsed, fixture_json

from reader.model.errors import Cancelled, FetchError
from reader.sources.live import LiveSource
from reader.sources.periods import Period

DAY_ITEMS: list[dict[str, Any]] = fixture_json("live-day.json")
DAY = Period("day", "2025-03-18")


def close_soon(live: LiveSource, after: float = 0.3) -> threading.Thread:
    closer = threading.Timer(after, live.close)
    closer.start()
    return closer


@pytest.mark.parametrize("reply", [
    Reply(delay=30),  # accepted, never answered
    Reply.json(DAY_ITEMS, stall_after=10),  # headers and a few bytes, then nothing
    Reply.json(DAY_ITEMS, trickle=1.0),  # a byte a second
], ids=["silent", "stalled", "trickling"])
def test_close_from_another_thread_ends_a_request_at_once(server: FixtureServer, reply: Reply) -> None:
    server.routes["/api/daily_papers"] = reply
    server.routes["/papers/date/2025-03-18"] = reply
    live = LiveSource(server.url, read_timeout=20, deadline=30)
    close_soon(live)
    took, outcome = elapsed(lambda: live.fetch(DAY))
    assert isinstance(outcome, Cancelled), outcome
    assert not isinstance(outcome, FetchError), "a stopped request must not look like a failed one"
    assert took < 0.3 + 0.5
    time.sleep(0.3)
    assert server.paths() == ["/api/daily_papers"], "the page fallback was asked after close"


def test_close_stops_the_walk_back_over_earlier_days(server: FixtureServer) -> None:
    server.routes["/api/daily_papers"] = Reply(delay=30)
    live = LiveSource(server.url, read_timeout=20, deadline=30)
    close_soon(live)
    took, outcome = elapsed(lambda: live.fetch_latest_day(date(2025, 3, 18)))
    assert isinstance(outcome, Cancelled)
    assert took < 0.8
    time.sleep(0.3)
    assert len(server.requests) == 1


def test_a_closed_source_asks_nothing_more(server: FixtureServer) -> None:
    server.routes["/api/daily_papers"] = Reply.json(DAY_ITEMS)
    live = LiveSource(server.url)
    assert len(live.fetch(DAY).papers) == 3
    live.close()
    with pytest.raises(Cancelled):
        live.fetch(DAY)
    assert len(server.requests) == 1
