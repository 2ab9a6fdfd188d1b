"""A paper's artefacts: parsed from the details answer, fetched over real HTTP, kept in the
library's database, and looked up one paper at a time with the rate limit waited out."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from httpserver import FixtureServer, Reply
from reader.library import Store
from reader.library.database import database_path
from reader.model import FetchError, ParseError, Paper, StoreError
from reader.session import ArtefactLookup
from reader.sources import LiveSource, artefacts_from_json, parse_artefacts
from test_parsers_fuzz import FUZZ, json_values, nasty_text

HOSTILE = "evil/[bold]x[/bold]\x1b]52;c;aGk=\x07\u202e"


def details(**extra: Any) -> dict[str, Any]:
    """A ``/api/papers/{id}`` answer shaped as HF-PAPERS.md describes it: previews shorter
    than their totals, optional keys left out."""
    answer: dict[str, Any] = {
        "id": "2503.14476", "title": "DAPO", "summary": "…",
        "linkedModels": [
            {"id": "org/small", "likes": 3, "downloads": 120, "tags": []},
            {"id": "org/big", "likes": 40, "downloads": 98_000, "pipeline_tag": "text-generation", "tags": []},
            {"id": "org/liked", "likes": 900, "tags": []},
        ],
        "linkedDatasets": [{"id": "org/math-17k", "likes": 7, "downloads": 5000}],
        "linkedSpaces": [{"id": "someone/demo", "likes": 12, "sdk": "gradio"}, {"id": "other/demo2", "likes": 1}],
        "numTotalModels": 12, "numTotalDatasets": 1, "numTotalSpaces": 2,
    }
    answer.update(extra)
    return answer


# parsing -----------------------------------------------------------------------------------


def test_the_true_totals_are_counted_and_the_best_come_first() -> None:
    artefacts = parse_artefacts(details())
    assert artefacts.summary() == "12 models · 1 dataset · 2 Spaces"
    assert [m.id for m in artefacts.models] == ["org/big", "org/small", "org/liked"]  # downloads, then likes
    assert artefacts.models[0].describe() == "org/big ↓98k ♥40 text-generation"
    assert artefacts.models[0].url == "https://huggingface.co/org/big"
    assert artefacts.datasets[0].url == "https://huggingface.co/datasets/org/math-17k"
    assert artefacts.spaces[0].url == "https://huggingface.co/spaces/someone/demo"


def test_a_total_below_its_preview_or_of_the_wrong_type_counts_the_preview() -> None:
    artefacts = parse_artefacts(details(numTotalModels="many", numTotalSpaces=True, numTotalDatasets=0))
    assert artefacts.counts == (3, 1, 2)
    assert parse_artefacts({"id": "x"}).summary() == "no models, datasets or Spaces"
    assert parse_artefacts({"numTotalModels": 1}).summary() == "1 model"


def test_items_that_are_not_artefacts_are_skipped_and_ids_kept_once() -> None:
    answer = details(linkedModels=[None, 3, {"likes": 3}, {"id": ""}, {"id": "a/b"}, {"id": "a/b", "likes": 9}])
    assert [m.id for m in parse_artefacts(answer).models] == ["a/b"]
    with pytest.raises(ParseError):
        parse_artefacts([details()])


def test_hostile_ids_lose_their_escapes_and_are_quoted_in_urls() -> None:
    artefacts = parse_artefacts(details(linkedModels=[{"id": HOSTILE, "pipeline_tag": "\x1b[31mred"}]))
    model = artefacts.models[0]
    assert "\x1b" not in model.id and "\x07" not in model.id and "\u202e" not in model.id
    assert model.id.startswith("evil/[bold]x[/bold]")  # markup stays text, shown literally
    assert model.detail == "red" or "\x1b" not in model.detail
    assert model.url.startswith("https://huggingface.co/evil/%5Bbold%5Dx") and " " not in model.url


def test_the_kept_form_reads_back_the_same_and_damage_is_a_parse_error() -> None:
    artefacts = parse_artefacts(details())
    assert artefacts_from_json(artefacts.to_json()) == artefacts
    for damaged in ("", "{", '{"totals": 3}', '{"totals": [1,2,3], "items": [[1]]}'):
        with pytest.raises(ParseError):
            artefacts_from_json(damaged)


@FUZZ
@given(json_values)
def test_any_json_shape_parses_or_says_why(value: Any) -> None:
    try:
        artefacts = parse_artefacts(value)
    except ParseError as error:
        assert "\n" not in str(error)
        return
    assert artefacts_from_json(artefacts.to_json()) == artefacts


@FUZZ
@given(st.lists(st.fixed_dictionaries({"id": nasty_text}, optional={"likes": json_values, "sdk": nasty_text}),
                max_size=6))
def test_nasty_ids_are_clean_text_and_safe_urls(items: list[dict[str, Any]]) -> None:
    for space in parse_artefacts({"linkedSpaces": items}).spaces:
        assert space.id and not any(ord(ch) < 32 or ch == "\x7f" for ch in space.id + space.detail)
        assert space.url.startswith("https://huggingface.co/spaces/")
        assert not any(ch.isspace() or ord(ch) < 32 for ch in space.url)


# fetching ---------------------------------------------------------------------------------


def test_the_details_are_fetched_from_the_paper_path(server: FixtureServer, live: LiveSource) -> None:
    server.routes["/api/papers/2503.14476"] = Reply.json(details())
    assert live.fetch_artefacts("2503.14476").counts == (12, 1, 2)
    [request] = server.requests
    assert "application/json" in request.headers["accept"]


def test_a_404_is_none_and_failures_are_one_line(server: FixtureServer, live: LiveSource) -> None:
    assert live.fetch_artefacts("2503.99999") is None
    server.routes["/api/papers/2503.00001"] = Reply.text("slow down", 429, headers={"RateLimit": '"api";r=0;t=42'})
    with pytest.raises(FetchError, match="rate limited.*retry in 42 s") as raised:
        live.fetch_artefacts("2503.00001")
    assert raised.value.status == 429 and raised.value.retry_after == 42
    server.routes["/api/papers/2503.00002"] = Reply.text("<html>not json", 200)
    with pytest.raises(FetchError, match="malformed"):
        live.fetch_artefacts("2503.00002")
    server.routes["/api/papers/2503.00003"] = Reply.json(["a list"])
    with pytest.raises(FetchError, match="malformed"):
        live.fetch_artefacts("2503.00003")
    with pytest.raises(FetchError, match="not an arXiv id"):
        live.fetch_artefacts("../../etc/passwd")


# keeping ----------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "data") as opened:
        yield opened


def test_answers_and_404s_are_kept_and_read_back_after_a_restart(tmp_path: Path) -> None:
    with Store(tmp_path / "data") as store:
        assert store.artefacts.get("2503.14476") is None
        store.artefacts.put("2503.14476", parse_artefacts(details()), fetched_at=1000.0)
        store.artefacts.put("2503.99999", None, fetched_at=1000.0)
        store.artefacts.put("2503.00000", parse_artefacts({}), fetched_at=1000.0)
    with Store(tmp_path / "data") as store:
        kept = store.artefacts.get("2503.14476")
        assert kept is not None and kept.artefacts == parse_artefacts(details()) and kept.fetched_at == 1000.0
        assert store.artefacts.get("2503.99999").artefacts is None  # type: ignore[union-attr]
        assert store.artefacts.totals("2503.14476") == (12, 1, 2)
        assert store.artefacts.totals("2503.00000") is None and store.artefacts.totals(None) is None
        assert store.artefacts.having("space") == {"2503.14476"}


def test_nothing_is_read_or_written_before_the_store_opens(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    assert store.artefacts.get("2503.14476") is None and store.artefacts.totals("2503.14476") is None
    with pytest.raises(StoreError):
        store.artefacts.put("2503.14476", None)
    assert not database_path(tmp_path / "data").exists()


def test_a_damaged_row_is_no_answer_and_a_newer_table_is_refused(store: Store, tmp_path: Path) -> None:
    store.artefacts.put("2503.14476", parse_artefacts(details()))
    conn = sqlite3.connect(database_path(store.data_dir))
    with conn:
        conn.execute("UPDATE artefacts SET preview = '{broken'")
        conn.execute("UPDATE schema_versions SET version = 99 WHERE part = 'artefacts'")
    conn.close()
    assert store.artefacts.get("2503.14476") is None  # looked up again rather than shown wrong
    with Store(tmp_path / "data") as reopened:
        with pytest.raises(StoreError, match="newer paper-reader"):
            reopened.artefacts.get("2503.14476")
        assert reopened.artefacts.totals("2503.14476") is None  # the rows show no mark instead


# looking up -------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


PAPER = Paper("DAPO", "…", arxiv_id="2503.14476")


def test_a_kept_answer_is_used_for_a_day_then_asked_again(store: Store, server: FixtureServer, live: LiveSource) -> None:
    clock = Clock()
    lookup = ArtefactLookup(store, live, clock)
    server.routes["/api/papers/2503.14476"] = Reply.json(details())
    assert lookup.wants_lookup(PAPER)
    assert lookup.look_up(PAPER).kept.artefacts.counts == (12, 1, 2)  # type: ignore[union-attr]
    assert lookup.note(PAPER).line == "12 models · 1 dataset · 2 Spaces"  # type: ignore[union-attr]
    assert not lookup.wants_lookup(PAPER)
    clock.now += 25 * 3600
    assert lookup.wants_lookup(PAPER)
    assert "(as of" in lookup.note(PAPER).line  # type: ignore[union-attr]
    assert not lookup.wants_lookup(Paper("no id", "…"))
    assert ArtefactLookup(store, None, clock).note(PAPER).artefacts is not None  # offline: kept  # type: ignore[union-attr]


def test_a_404_is_remembered(store: Store, server: FixtureServer, live: LiveSource) -> None:
    lookup = ArtefactLookup(store, live, Clock())
    lookup.look_up(PAPER)
    assert not lookup.wants_lookup(PAPER)
    assert "not indexed" in lookup.note(PAPER).line  # type: ignore[union-attr]
    assert server.paths() == ["/api/papers/2503.14476"]


def test_a_rate_limit_pauses_lookups_until_its_reset_and_is_said_once(
    store: Store, server: FixtureServer, live: LiveSource
) -> None:
    clock = Clock()
    lookup = ArtefactLookup(store, live, clock)
    server.routes["/api/papers/2503.14476"] = Reply.text("", 429, headers={"RateLimit": '"api";r=0;t=30'})
    first = lookup.look_up(PAPER)
    assert first.wait == 30 and first.say is not None and "30 s" in first.say
    assert not lookup.wants_lookup(PAPER) and "rate limit" in lookup.note(PAPER).line  # type: ignore[union-attr]
    clock.now += 31
    assert lookup.wants_lookup(PAPER)
    assert lookup.look_up(PAPER).say is None  # said once
    server.routes["/api/papers/2503.14476"] = Reply.json(details())
    clock.now += 31
    assert lookup.look_up(PAPER).kept is not None


def test_an_unreachable_hub_pauses_and_says_why(store: Store) -> None:
    clock = Clock()
    with LiveSource("http://127.0.0.1:9", connect_timeout=1, read_timeout=1, deadline=2) as unreachable:
        lookup = ArtefactLookup(store, unreachable, clock)
        outcome = lookup.look_up(PAPER)
    assert outcome.error and "\n" not in outcome.error and outcome.kept is None
    assert not lookup.wants_lookup(PAPER)
    assert lookup.note(PAPER).line.startswith("not looked up:")  # type: ignore[union-attr]


def test_an_answer_that_cannot_be_kept_is_still_shown(tmp_path: Path, server: FixtureServer, live: LiveSource) -> None:
    server.routes["/api/papers/2503.14476"] = Reply.json(details())
    with Store(tmp_path / "data") as store:
        assert store.artefacts.get(PAPER.arxiv_id) is None  # the table is made on first use
        conn = sqlite3.connect(database_path(store.data_dir))
        with conn:
            conn.execute("CREATE TRIGGER full BEFORE INSERT ON artefacts BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
        conn.close()
        lookup = ArtefactLookup(store, live, Clock())
        outcome = lookup.look_up(PAPER)
        assert lookup.note(PAPER).line == "12 models · 1 dataset · 2 Spaces"  # type: ignore[union-attr]
        assert not lookup.wants_lookup(PAPER)  # shown for the session, not asked again
        assert lookup.look_up(PAPER).say is None  # said once
    assert outcome.kept is not None and outcome.kept.artefacts.counts == (12, 1, 2)  # type: ignore[union-attr]
    assert outcome.say is not None and "disk is full" in outcome.say and "\n" not in outcome.say
    assert json.loads(parse_artefacts(details()).to_json())["totals"] == [12, 1, 2]
