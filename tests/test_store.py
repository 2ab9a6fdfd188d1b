"""The Store: marks in memory and on disk, title-key to id-key, the sharded library, listings."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tinydb import TinyDB

from reader.library import marks as marks_mod
from reader.model.paper import Paper
from reader.library.tinydb_storage import AtomicJSONStorage
from reader.library.data_dir import default_data_dir
from reader.library.mark_records import Mark
from reader.library.paper_docs import merge_papers
from reader.library.saved_lists import SavedListing
from reader.library import shard_of
from reader.library.store import Store


def paper(n: int, *, arxiv: bool = True, published: str | None = "2025-03-18", **kw: object) -> Paper:
    return Paper(
        title=kw.pop("title", f"Paper number {n}"),  # type: ignore[arg-type]
        arxiv_id=f"2503.{n:05d}" if arxiv else None,
        published=published,
        **kw,  # type: ignore[arg-type]
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path)
    assert s.open() == []
    yield s
    s.close()


def reopen(tmp_path: Path) -> Store:
    s = Store(tmp_path)
    assert s.open() == []
    return s


def state_docs(tmp_path: Path) -> dict[str, dict]:
    with TinyDB(tmp_path / "state.json", storage=AtomicJSONStorage) as db:
        assert db.table("meta").all() == [{"schema": 1}]
        return {doc["key"]: doc for doc in db.table("marks").all()}


# --- lifecycle ---------------------------------------------------------------------------------


def test_constructor_does_no_io(tmp_path: Path) -> None:
    target = tmp_path / "not-yet"
    Store(target)
    assert not target.exists()


def test_default_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PAPER_READER_DATA_DIR", str(tmp_path / "d"))
    assert default_data_dir() == tmp_path / "d"
    monkeypatch.delenv("PAPER_READER_DATA_DIR")
    assert default_data_dir().name == "paper-reader"
    assert not (tmp_path / "d").exists()


def test_use_before_open_is_a_programming_error(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError):
        Store(tmp_path).set_read(paper(1), True)


def test_close_is_idempotent_and_later_changes_still_land(tmp_path: Path) -> None:
    s = reopen(tmp_path)
    s.set_read(paper(1), True)
    s.close()
    s.close()
    s.set_bookmarked(paper(2), True)  # after close: written at once
    assert state_docs(tmp_path)["arxiv:2503.00002"]["bookmarked"] is True


# --- marks ---------------------------------------------------------------------------------


def test_unmarked_paper(store: Store) -> None:
    assert store.mark(paper(1)) == Mark(False, False, None, None, 0.0)
    assert store.counts([paper(1), paper(2)]) == (2, 0)


def test_a_tally_counts_unread_bookmarked_and_new_a_chunk_at_a_time(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(marks_mod, "PASS_CHUNK", 2)  # five papers: three holds of the lock
    papers = [paper(n) for n in range(1, 6)]
    store.set_read(papers[0], True)
    store.set_bookmarked(papers[3], True)
    store.set_read(papers[4], True)
    tally = store.tally(papers)
    assert (tally.unread, tally.bookmarked, tally.new) == (3, 1, 5)  # nothing was seen before this visit
    assert tally.version == store.marks_version
    assert store.counts(papers) == (3, 1)
    store.set_read(papers[1], True)
    assert tally.version != store.marks_version  # a list counted before this mark is counted again


def test_a_tally_taken_while_a_mark_changes_is_right_for_no_version(store: Store) -> None:
    papers = [paper(1), paper(2)]

    class Marking(list):  # a mark made by another thread while the list is being counted
        def __getitem__(self, at):  # type: ignore[no-untyped-def]
            store.set_bookmarked(papers[0], True)
            return list.__getitem__(self, at)

    assert store.tally(Marking(papers)).version == -1


def test_set_toggle_and_counts(store: Store) -> None:
    a, b, c = paper(1), paper(2), paper(3, arxiv=False)
    m = store.set_read(a, True)
    assert m.read and m.read_at and m.read_at.endswith("Z") and m.updated_at > 0
    assert store.toggle_bookmarked(b).bookmarked
    assert store.toggle_read(c).read
    assert store.toggle_read(c).read is False
    assert store.mark(c).read_at is None
    assert store.counts([a, b, c]) == (2, 1)
    before = store.mark(a).updated_at
    assert store.set_read(a, True).updated_at == before  # no change, no new stamp


def test_marks_survive_restart_with_the_documented_fields(tmp_path: Path) -> None:
    s = reopen(tmp_path)
    s.set_read(paper(1), True)
    s.set_bookmarked(paper(2, arxiv=False), True)
    s.close()
    docs = state_docs(tmp_path)
    doc = docs["arxiv:2503.00001"]
    assert {"key", "title_key", "read", "bookmarked", "read_at", "bookmarked_at", "updated_at"} <= doc.keys()
    assert doc["title_key"] == "title:paper number 1" and doc["read"] is True
    assert isinstance(doc["updated_at"], float)
    assert docs["title:paper number 2"]["bookmarked_at"].endswith("Z")
    again = reopen(tmp_path)
    assert again.mark(paper(1)).read and again.mark(paper(2, arxiv=False)).bookmarked
    again.close()


def test_background_writer_lands_within_a_second(store: Store, tmp_path: Path) -> None:
    start = time.monotonic()
    store.set_bookmarked(paper(7), True)
    while time.monotonic() - start < 1.0:
        if (tmp_path / "state.json").exists() and "arxiv:2503.00007" in state_docs(tmp_path):
            break
        time.sleep(0.02)
    assert state_docs(tmp_path)["arxiv:2503.00007"]["bookmarked"] is True
    assert time.monotonic() - start < 1.0


def test_a_burst_of_changes_is_one_write(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    writes: list[Path] = []
    real = marks_mod.atomic_write

    def counting(path: Path, payload: bytes):  # type: ignore[no-untyped-def]
        writes.append(path)
        return real(path, payload)

    monkeypatch.setattr(marks_mod, "atomic_write", counting)
    for n in range(200):
        store.toggle_read(paper(n))
    time.sleep(marks_mod.WRITE_DELAY + 0.4)
    assert 1 <= len(writes) <= 2


def test_mark_calls_are_instant_with_ten_thousand_marks(store: Store, tmp_path: Path) -> None:
    papers = [paper(n) for n in range(10_000)]
    for p in papers:
        store.set_read(p, True)
    started = time.perf_counter()
    store.flush()
    write = time.perf_counter() - started
    timings = []
    for p in papers[:2000]:
        t0 = time.perf_counter()
        store.toggle_bookmarked(p)
        store.mark(p)
        timings.append(time.perf_counter() - t0)
    timings.sort()
    assert timings[len(timings) // 2] < 0.0002
    assert timings[int(len(timings) * 0.95)] < 0.001
    size = (tmp_path / "state.json").stat().st_size / 1e6
    print(f"\n10,000-mark state.json: {size:.2f} MB, flush {write * 1000:.0f} ms")
    assert write < 2.0


def test_reload_marks_takes_in_another_stores_changes(tmp_path: Path) -> None:
    a, b = reopen(tmp_path), reopen(tmp_path)
    shared = paper(1)
    a.set_read(shared, True)
    a.flush()
    b.set_bookmarked(shared, True)  # b never saw the read
    b.flush()
    assert b.mark(shared).read  # b's write merged a's read in
    assert a.reload_marks() == 1
    assert a.mark(shared) == b.mark(shared)
    a.set_read(shared, False)
    a.flush()
    b.reload_marks()
    assert not b.mark(shared).read and b.mark(shared).bookmarked
    a.close()
    b.close()
    doc = state_docs(tmp_path)["arxiv:2503.00001"]
    assert doc["read"] is False and doc["bookmarked"] is True


# --- title key -> id key -----------------------------------------------------------------------


def test_title_keyed_mark_shows_on_the_id_paper_and_is_rekeyed(tmp_path: Path) -> None:
    s = reopen(tmp_path)
    dump = Paper(title="Implicit Temporal Modeling: with Learnable Alignment")
    api = Paper(title="Implicit temporal modeling with learnable alignment", arxiv_id="2304.08000")
    s.set_bookmarked(dump, True)
    s.flush()
    assert list(state_docs(tmp_path)) == ["title:implicit temporal modeling with learnable alignment"]
    assert s.mark(api).bookmarked
    assert s.mark(dump).bookmarked  # the text-dump entry still finds it through the title
    s.flush()
    assert list(state_docs(tmp_path)) == ["arxiv:2304.08000"]
    s.set_read(dump, True)  # changes through the dump entry go to the id-keyed mark
    s.close()
    docs = state_docs(tmp_path)
    assert list(docs) == ["arxiv:2304.08000"] and docs["arxiv:2304.08000"]["read"] is True


def test_rekeyed_mark_merges_with_a_stale_title_mark_from_another_store(tmp_path: Path) -> None:
    dump = Paper(title="Same Title")
    api = Paper(title="Same title", arxiv_id="2401.00001")
    old = reopen(tmp_path)
    old.set_read(dump, True)
    old.flush()
    new = reopen(tmp_path)
    new.set_bookmarked(api, True)  # re-keys the title mark
    new.flush()
    old.set_read(dump, False)  # old still holds the title-keyed mark
    old.flush()
    new.reload_marks()
    mark = new.mark(api)
    assert mark.bookmarked and not mark.read
    assert list(state_docs(tmp_path)) == ["arxiv:2401.00001"]
    old.close()
    new.close()


def test_an_id_paper_does_not_take_another_id_papers_mark(store: Store) -> None:
    store.set_read(Paper(title="Attention", arxiv_id="1706.03762"), True)
    assert not store.mark(Paper(title="Attention", arxiv_id="2001.00001")).read


# --- library -------------------------------------------------------------------------------


def test_shard_of() -> None:
    assert shard_of("2025-03-18") == "2025-03"
    assert shard_of("2025-03-18T10:00:00.000Z") == "2025-03"
    assert shard_of(None) == shard_of("") == shard_of("Mar 3") == "undated"


def database_rows(data_dir: Path, columns: str = "key, month, upvotes") -> list[tuple]:
    with sqlite3.connect(data_dir / "library.sqlite3") as conn:
        return conn.execute(f"SELECT {columns} FROM papers ORDER BY key").fetchall()


def test_add_papers_files_by_month_and_saves_the_listing(store: Store, tmp_path: Path) -> None:
    papers = [
        paper(1, published="2025-03-18", upvotes=5),
        paper(2, published="2025-02-01"),
        paper(3, arxiv=False, published=None, title="No date at all"),
    ]
    out = store.add_papers(papers, listing="day:2025-03-18")
    assert [p.key for p in out] == [p.key for p in papers]
    assert out[0] is not papers[0]
    assert not (tmp_path / "library").exists()
    assert database_rows(tmp_path) == [
        ("arxiv:2503.00001", "2025-03", 5), ("arxiv:2503.00002", "2025-02", None),
        ("title:no date at all", "undated", None),
    ]
    saved = store.saved_listing("day:2025-03-18")
    assert isinstance(saved, SavedListing) and saved.fetched_at.endswith("Z")
    assert [p.key for p in saved.papers] == [p.key for p in papers]
    assert store.saved_listing("day:2025-03-19") is None


def test_re_seen_paper_keeps_its_key_and_gets_fresher_fields(store: Store) -> None:
    store.add_papers([paper(1, upvotes=3, abstract="Full abstract.", code_url="https://github.com/a/b")])
    [merged] = store.add_papers([paper(1, upvotes=9, abstract="")])
    assert merged.upvotes == 9 and merged.abstract == "Full abstract." and merged.code_url
    assert [p.upvotes for p in store.library()] == [9]


def test_id_paper_replaces_the_title_keyed_entry(store: Store, tmp_path: Path) -> None:
    dump = Paper(title="Align With Purpose", abstract="From the dump.", author_count=11, published="2023-07-04")
    store.add_papers([dump])
    api = Paper(title="Align with Purpose", arxiv_id="2307.01715", published="2023-07-04", authors=["A", "B"])
    [merged] = store.add_papers([api])
    assert merged.key == "arxiv:2307.01715" and merged.abstract == "From the dump."
    assert merged.shown_author_count == 2
    assert [p.key for p in store.library()] == ["arxiv:2307.01715"]
    [again] = store.add_papers([dump])  # the dump again: merged into the id entry
    assert again.key == "arxiv:2307.01715"
    assert [p.key for p in store.library()] == ["arxiv:2307.01715"]
    fresh = reopen(tmp_path)
    assert [p.key for p in fresh.library()] == ["arxiv:2307.01715"]
    fresh.close()


def test_paper_that_gains_a_date_moves_month(store: Store, tmp_path: Path) -> None:
    store.add_papers([paper(1, published=None)])
    store.add_papers([paper(1, published="2025-01-02")])
    fresh = reopen(tmp_path)
    assert [(p.key, p.published) for p in fresh.library()] == [("arxiv:2503.00001", "2025-01-02")]
    fresh.close()
    assert database_rows(tmp_path, "key, month") == [("arxiv:2503.00001", "2025-01")]


def test_a_fetch_writes_only_the_rows_that_changed(store: Store, tmp_path: Path) -> None:
    store.add_papers([paper(n) for n in range(1, 6)])
    before = database_rows(tmp_path, "rowid, key")
    store.add_papers([paper(2, upvotes=40), paper(9)])
    with sqlite3.connect(tmp_path / "library.sqlite3") as conn:
        changes = conn.execute("SELECT total_changes()").fetchone()  # a fresh connection: 0
    assert changes == (0,)
    after = database_rows(tmp_path, "rowid, key, upvotes")
    assert [(r, k) for r, k, _ in after][:5] == before  # rows kept their ids: updated, not rewritten
    assert [u for _, k, u in after if k == "arxiv:2503.00002"] == [40]
    assert len(after) == 6


def test_abstracts_are_read_from_the_database_when_asked(store: Store, tmp_path: Path) -> None:
    store.add_papers([paper(1, abstract="First version.")])
    [listed] = store.library()
    assert listed.abstract == "First version."
    store.add_papers([paper(1, abstract="Second version.")])
    assert listed.abstract == "Second version."  # not a copy held in memory


def test_iter_library_newest_month_first_and_sorted(tmp_path: Path) -> None:
    s = reopen(tmp_path)
    s.add_papers(
        [
            paper(1, published="2024-12-30", title="Beta"),
            paper(2, published="2025-03-01", title="Zeta"),
            paper(3, published="2025-03-09", title="Alpha"),
            paper(4, published="2025-03-01", title="Alpha"),
            paper(5, published=None, title="Undated"),
        ]
    )
    s.close()
    fresh = reopen(tmp_path)
    batches = [[(p.published, p.title) for p in batch] for batch in fresh.iter_library()]
    assert batches == [
        [("2025-03-09", "Alpha"), ("2025-03-01", "Alpha"), ("2025-03-01", "Zeta")],
        [("2024-12-30", "Beta")],
        [(None, "Undated")],
    ]
    assert len(fresh.library()) == 5
    fresh.close()


def test_open_does_not_load_the_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = reopen(tmp_path)
    s.add_papers([paper(1)])
    s.close()
    fresh = Store(tmp_path)
    monkeypatch.setattr(fresh.papers, "iter_library", lambda: pytest.fail("library loaded on open"))
    fresh.open()
    fresh.close()


def test_latest_listing(store: Store) -> None:
    store.add_papers([paper(1)], listing="day:2025-03-17")
    store.add_papers([paper(2)], listing="day:2025-03-18")
    store.add_papers([paper(3)], listing="week:2025-W12")
    store.add_papers([], listing="day:2025-03-16")  # an empty day is a list too
    latest = store.latest_listing("day:")
    assert latest is not None and latest.name == "day:2025-03-18"
    assert [p.key for p in latest.papers] == ["arxiv:2503.00002"]
    assert store.saved_listing("day:2025-03-16").papers == []  # type: ignore[union-attr]
    assert store.latest_listing("month:") is None


def test_every_saved_list_is_kept(store: Store) -> None:
    for day in range(150):
        store.add_papers([paper(day + 1)], listing=f"list:{day:03d}")
    assert len(store.listing_names()) == 150
    assert [p.key for p in store.saved_listing("list:000").papers] == ["arxiv:2503.00001"]  # type: ignore[union-attr]


def test_duplicate_left_by_a_crash_mid_move_is_imported_once(tmp_path: Path) -> None:
    # An older reader killed between writing a paper's new month and rewriting its old one
    # left two copies; the one its date files it under wins.
    lib = tmp_path / "library"
    lib.mkdir()
    doc = {"key": "arxiv:2503.00001", "title": "Paper number 1", "arxiv_id": "2503.00001", "authors": []}
    month = lambda docs: json.dumps({"meta": {"1": {"schema": 1}}, "papers": dict(enumerate(docs, 1))})
    (lib / "2025-01.json").write_text(month([dict(doc, published="2025-01-05", upvotes=1),
                                             dict(doc, key="arxiv:2503.00002", arxiv_id="2503.00002",
                                                  title="Paper number 2", published="2025-01-06")]))
    (lib / "2025-02.json").write_text(month([dict(doc, published="2025-02-01", upvotes=7)]))
    fresh = Store(tmp_path)
    [told] = fresh.open()
    assert "2 papers" in told and "library-month-files" in told
    assert sorted(p.name for p in (tmp_path / "library-month-files").iterdir()) == ["2025-01.json", "2025-02.json"]
    assert [(p.key, p.published, p.upvotes) for p in fresh.library()] == [
        ("arxiv:2503.00001", "2025-02-01", 7), ("arxiv:2503.00002", "2025-01-06", None)]
    fresh.close()


def test_merge_papers_prefers_present_new_values() -> None:
    old = Paper(title="T", abstract="long", upvotes=1, authors=[], author_count=5)
    new = Paper(title="T!", abstract="", upvotes=None, authors=[])
    merged = merge_papers(old, new)
    assert (merged.title, merged.abstract, merged.upvotes, merged.author_count) == ("T!", "long", 1, 5)


def test_context_manager_keeps_open_warnings(tmp_path: Path) -> None:
    (tmp_path / "state.json").write_bytes(b"")
    with Store(tmp_path) as s:
        [warning] = s.take_warnings()
        assert "empty" in warning
        s.set_read(paper(1), True)
    assert state_docs(tmp_path)["arxiv:2503.00001"]["read"] is True


def test_a_saved_list_entry_that_is_no_paper_is_skipped_not_shown(tmp_path: Path) -> None:
    with Store(tmp_path) as s:
        s.add_papers([paper(1), paper(2)], listing="day:2025-03-18")
    raw = json.loads((tmp_path / "listings.json").read_text())
    [doc] = raw["listings"].values()
    doc["keys"][0] = {"not": "a key"}
    (tmp_path / "listings.json").write_text(json.dumps(raw))
    with Store(tmp_path) as s:
        saved = s.saved_listing("day:2025-03-18")
        assert saved is not None and [p.title for p in saved.papers] == ["Paper number 2"]
        [warning] = s.take_warnings()
        assert "skipped 1" in warning
