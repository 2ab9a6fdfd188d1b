"""LiveSource's limits against a real local server: closing it from another thread ends
every request at once, and an answer may not inflate past the size cap."""

from __future__ import annotations

import gzip
import json
import threading
import time
import tracemalloc
import zlib
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


# -- compressed answers -------------------------------------------------------------------


def gzipped(body: bytes, times: int) -> bytes:
    for _ in range(times):
        body = gzip.compress(body, compresslevel=9)
    return body


def test_a_decompression_bomb_is_refused_without_inflating_it(server: FixtureServer) -> None:
    bomb = gzipped(b"\0" * (200 * 1024 * 1024), 2)  # ~1 MB of zeros per byte sent, twice over
    assert len(bomb) < 20_000
    server.routes["/api/daily_papers"] = Reply(200, bomb, {"Content-Type": "application/json",
                                                          "Content-Encoding": "gzip, gzip"})
    with LiveSource(server.url, max_bytes=1024 * 1024) as live:
        tracemalloc.start()
        try:
            took, outcome = elapsed(lambda: live.fetch(DAY))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert isinstance(outcome, FetchError)
    assert peak < 16 * 1024 * 1024, f"{peak / 1e6:.0f} MB spent on a {len(bomb)}-byte answer"
    assert str(outcome) == f"answer from {server.host} is larger than 1 MB once decompressed"
    assert server.paths() == ["/api/daily_papers"], "a bomb is not a reason to ask the page"


@pytest.mark.parametrize("encoding, body", [
    ("gzip", gzipped(json.dumps(DAY_ITEMS).encode(), 1)),
    ("gzip, gzip", gzipped(json.dumps(DAY_ITEMS).encode(), 2)),
    ("deflate", zlib.compress(json.dumps(DAY_ITEMS).encode())),
    ("deflate", zlib.compress(json.dumps(DAY_ITEMS).encode())[2:-4]),  # raw deflate, no header
    ("identity", json.dumps(DAY_ITEMS).encode()),
])
def test_compressed_answers_within_the_cap_are_read(server: FixtureServer, live: LiveSource,
                                                    encoding: str, body: bytes) -> None:
    server.routes["/api/daily_papers"] = Reply(200, body, {"Content-Type": "application/json",
                                                          "Content-Encoding": encoding})
    assert len(live.fetch(DAY).papers) == 3
    assert server.requests[0].headers["accept-encoding"] == "gzip, deflate"


@pytest.mark.parametrize("encoding, body", [
    ("br", b"\x0b\x02\x80[]\x03"),
    ("gzip", b"not gzip at all"),
])
def test_an_encoding_not_asked_for_or_broken_is_one_line(server: FixtureServer, live: LiveSource,
                                                         encoding: str, body: bytes) -> None:
    server.routes["/api/daily_papers"] = Reply(200, body, {"Content-Type": "application/json",
                                                          "Content-Encoding": encoding})
    with pytest.raises(FetchError) as caught:
        live.fetch(DAY)
    assert "\n" not in str(caught.value) and server.host in str(caught.value)
