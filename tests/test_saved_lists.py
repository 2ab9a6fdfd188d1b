"""Saved lists refer to the library's papers: keys in order, reopened offline from the
library, and old files of whole records migrate without losing a list or a paper."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.library.store import Store
from reader.model.paper import Paper
from reader.session.loader import Request, load
from reader.sources.periods import Period


def paper(n: int, published: str | None = "2025-03-18", **kw: object) -> Paper:
    return Paper(title=f"Saved paper {n}", arxiv_id=f"2503.{n:05d}", published=published,
                 abstract=f"Abstract of paper {n}.", **kw)  # type: ignore[arg-type]


def record(p: Paper) -> dict[str, object]:
    return p.to_record()


def write_old_listings(path: Path, lists: dict[str, tuple[str, list[Paper]]]) -> None:
    """A ``listings.json`` as the reader wrote it when every list held whole records."""
    docs = {
        str(i): {"name": name, "fetched_at": at, "papers": [record(p) for p in papers]}
        for i, (name, (at, papers)) in enumerate(lists.items(), 1)
    }
    path.write_text(json.dumps({"meta": {"1": {"schema": 1}}, "listings": docs}))


def test_a_saved_list_holds_keys_not_records(tmp_path: Path) -> None:
    with Store(tmp_path) as s:
        s.add_papers([paper(1), paper(2, published="2025-02-01")], listing="day:2025-03-18")
    raw = (tmp_path / "listings.json").read_text()
    assert "Abstract of paper" not in raw and "Saved paper" not in raw
    [doc] = json.loads(raw)["listings"].values()
    assert doc["keys"] == ["arxiv:2503.00001", "arxiv:2503.00002"]
    assert doc["shards"] == ["2025-03", "2025-02"]


def test_an_old_listings_file_migrates_without_losing_a_list(tmp_path: Path) -> None:
    with Store(tmp_path) as s:
        s.add_papers([paper(1, upvotes=9)])  # already in the library, fresher than the old copy
    old_copy = paper(1, upvotes=2)
    write_old_listings(tmp_path / "listings.json", {
        "day:2025-03-18": ("2025-03-18T10:00:00.000000Z", [paper(3), old_copy, paper(4, published=None)]),
        "trending": ("2025-03-19T10:00:00.000000Z", [paper(5, published="2024-12-01")]),
        "day:2025-03-17": ("2025-03-17T10:00:00.000000Z", []),
    })
    with Store(tmp_path) as s:
        assert s.take_warnings() == []
        assert s.listing_names() == ["day:2025-03-17", "day:2025-03-18", "trending"]
        day = s.saved_listing("day:2025-03-18")
        assert day is not None and day.fetched_at == "2025-03-18T10:00:00.000000Z"
        assert [p.arxiv_id for p in day.papers] == ["2503.00003", "2503.00001", "2503.00004"]
        assert day.papers[1].upvotes == 9  # the library's copy, not the list's old one
        assert [p.abstract for p in s.saved_listing("trending").papers] == ["Abstract of paper 5."]  # type: ignore[union-attr]
        assert s.saved_listing("day:2025-03-17").papers == []  # type: ignore[union-attr]
        assert sorted(p.arxiv_id for p in s.library()) == ["2503.00001", "2503.00003", "2503.00004", "2503.00005"]
    docs = json.loads((tmp_path / "listings.json").read_text())["listings"].values()
    assert all("papers" not in d and "keys" in d for d in docs)  # written once as keys
    with Store(tmp_path) as again:  # and read back as such, with nothing left to migrate
        assert again.saved_lists.legacy == {}
        assert [p.arxiv_id for p in again.saved_listing("trending").papers] == ["2503.00005"]  # type: ignore[union-attr]


def test_an_old_list_entry_that_is_no_paper_is_skipped_and_reported(tmp_path: Path) -> None:
    write_old_listings(tmp_path / "listings.json", {"trending": ("2025-03-19T10:00:00Z", [paper(1), paper(2)])})
    raw = json.loads((tmp_path / "listings.json").read_text())
    raw["listings"]["1"]["papers"][0]["authors"] = "not a list"
    (tmp_path / "listings.json").write_text(json.dumps(raw))
    with Store(tmp_path) as s:
        [warning] = s.take_warnings()
        assert "skipped 1" in warning and "\n" not in warning
        assert [p.arxiv_id for p in s.saved_listing("trending").papers] == ["2503.00002"]  # type: ignore[union-attr]
        assert [p.arxiv_id for p in s.library()] == ["2503.00002"]


def test_reopening_a_saved_day_offline_reads_only_its_papers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(tmp_path) as s:
        s.add_papers([paper(n, published=f"2024-{n:02d}-01") for n in range(1, 10)])
        s.add_papers([paper(20), paper(21)], listing="day:2025-03-18")
    with Store(tmp_path) as s:
        monkeypatch.setattr(s.papers, "iter_library", lambda: pytest.fail("the whole library was read"))
        listing = load(Request("live", Period("day", "2025-03-18")), s, None)
        assert [p.arxiv_id for p in listing.papers] == ["2503.00020", "2503.00021"]
        assert listing.offline and listing.notice is not None and "copy from" in listing.notice


def test_a_saved_list_follows_its_papers_when_they_move(tmp_path: Path) -> None:
    with Store(tmp_path) as s:
        dump = Paper(title="A Paper From a Dump", published=None)
        s.add_papers([paper(1, published=None), dump], listing="file:dump.txt")
        s.add_papers([paper(1, published="2025-01-02")])  # gains a date: moves to 2025-01
        s.add_papers([Paper(title="A paper from a dump", arxiv_id="2501.00009", published="2025-01-03")])
    with Store(tmp_path) as s:
        saved = s.saved_listing("file:dump.txt")
        assert saved is not None
        assert [(p.key, p.published) for p in saved.papers] == [
            ("arxiv:2503.00001", "2025-01-02"), ("arxiv:2501.00009", "2025-01-03")]
