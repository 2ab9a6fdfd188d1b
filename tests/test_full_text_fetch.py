"""Fetching a full text from the real local HTTP server, keeping it, and reading it offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.library.full_texts import FullTexts
from reader.model.errors import FetchError
from reader.model.paper import Paper
from reader.session.full_text import get_full_text
from reader.sources.live import LiveSource
from httpserver import FixtureServer, Reply

FIXTURES = Path(__file__).parent / "fixtures"
WRITTEN = (FIXTURES / "paper-md-written.md").read_text(encoding="utf-8")
FALLBACK = (FIXTURES / "paper-md-fallback.md").read_text(encoding="utf-8")
PAPER = Paper(title="Sparse Routers Learn Fast", arxiv_id="2503.14476")


def markdown(text: str, status: int = 200) -> Reply:
    return Reply.text(text, status, content_type="text/markdown")


def test_the_markdown_is_fetched_from_the_paper_path(server: FixtureServer, live: LiveSource) -> None:
    server.routes["/papers/2503.14476.md"] = markdown(WRITTEN)
    assert live.fetch_full_text("2503.14476") == WRITTEN
    [request] = server.requests
    assert "text/markdown" in request.headers["accept"]


def test_a_404_is_no_full_text_and_other_failures_are_one_line(server: FixtureServer, live: LiveSource) -> None:
    assert live.fetch_full_text("2503.99999") is None
    server.routes["/papers/2503.00001.md"] = Reply.text("slow down", 429, headers={"Retry-After": "30"})
    with pytest.raises(FetchError, match="rate limited.*retry in 30 s"):
        live.fetch_full_text("2503.00001")
    server.routes["/papers/2503.00002.md"] = Reply.text("oops", 503)
    with pytest.raises(FetchError, match="HTTP 503"):
        live.fetch_full_text("2503.00002")
    with pytest.raises(FetchError, match="not an arXiv id"):
        live.fetch_full_text("../../etc/passwd")


def test_an_oversized_answer_is_refused(server: FixtureServer) -> None:
    server.routes["/papers/2503.14476.md"] = markdown("x" * 5000)
    with LiveSource(server.url, max_bytes=1000, connect_timeout=2, read_timeout=2, deadline=4) as small:
        with pytest.raises(FetchError, match="larger than"):
            small.fetch_full_text("2503.14476")


def test_fetched_once_then_read_offline(server: FixtureServer, live: LiveSource, data_dir: Path) -> None:
    server.routes["/papers/2503.14476.md"] = markdown(WRITTEN)
    first = get_full_text(PAPER, data_dir, live)
    assert first.full_text is not None and first.message is None and not first.offline
    assert (data_dir / "fulltext" / "2503.14476.md").read_text(encoding="utf-8") == WRITTEN
    again = get_full_text(PAPER, data_dir, None)
    assert again.offline and again.full_text is not None
    assert [s.title for s in again.full_text.sections] == [s.title for s in first.full_text.sections]
    assert len(server.requests) == 1


def test_without_full_text_each_case_says_so(server: FixtureServer, live: LiveSource, data_dir: Path) -> None:
    assert "not indexed" in (get_full_text(PAPER, data_dir, live).message or "")
    server.routes["/papers/2503.14378.md"] = markdown(FALLBACK)
    fallback = get_full_text(Paper(title="x", arxiv_id="2503.14378"), data_dir, live)
    assert fallback.full_text is None and "only its abstract" in (fallback.message or "")
    offline = get_full_text(Paper(title="y", arxiv_id="2503.00003"), data_dir, None)
    assert offline.full_text is None and "offline" in (offline.message or "")
    no_id = get_full_text(Paper(title="z"), data_dir, live)
    assert "no arXiv id" in (no_id.message or "")


def test_an_unreachable_server_is_a_one_line_message(data_dir: Path) -> None:
    with LiveSource(connect_timeout=1, read_timeout=1, deadline=2) as gone:  # the conftest's closed port
        result = gone and get_full_text(PAPER, data_dir, gone)
    assert result.full_text is None and result.message.startswith("Cannot fetch the full text:")
    assert "\n" not in result.message


def test_kept_files_are_named_safely_and_read_back_capped(data_dir: Path, monkeypatch) -> None:
    texts = FullTexts(data_dir)
    assert texts.path("../x") is None and texts.path("a/../../b") is None and texts.path("") is None
    assert texts.path("hep-th/9901001") == data_dir / "fulltext" / "hep-th_9901001.md"
    with pytest.raises(ValueError):
        texts.put("../x", "text")
    texts.put("2503.14476", "é" * 10)
    assert texts.get("2503.14476") == "é" * 10
    monkeypatch.setattr("reader.library.full_texts.MAX_BYTES", 5)
    assert len(texts.get("2503.14476") or "") <= 5
    assert texts.get("2503.00000") is None
    assert [p.name for p in (data_dir / "fulltext").iterdir()] == ["2503.14476.md"]  # no temp left
