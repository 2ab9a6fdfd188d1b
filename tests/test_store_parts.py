"""The Store's parts on their own: the mark book's merges, the warnings, and each part as the
store hands it out (``store.marks``, ``store.saved_lists``, ``store.shards``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.library.damaged import keep_damaged_copy, read_or_set_aside
from reader.library.notices import Warnings
from reader.library.keys import TITLE_PREFIX, key_of
from reader.library.mark_records import MarkBook, MarkRecord
from reader.library.store import Store
from reader.model.paper import Paper

TEXT_DUMP = Paper(title="Attention Is All You Need")  # no id yet: keyed by its title
WITH_ID = Paper(title="Attention is all you need", arxiv_id="1706.03762")


def test_a_title_keyed_mark_is_rekeyed_to_the_id_once_found() -> None:
    book = MarkBook()
    book.put(MarkRecord(key_of(TEXT_DUMP), key_of(TEXT_DUMP), read=True, read_ts=5.0))
    assert book.titled == 1
    rec, rekeyed = book.find(WITH_ID)
    assert rekeyed and rec is not None and rec.key == "arxiv:1706.03762" and rec.read
    assert list(book.recs) == ["arxiv:1706.03762"] and book.titled == 0
    assert book.find(WITH_ID) == (rec, False)  # found by its own key from now on


def test_absorbing_a_title_mark_folds_it_into_the_id_mark_field_by_field() -> None:
    book = MarkBook()
    tkey = key_of(TEXT_DUMP)
    assert tkey.startswith(TITLE_PREFIX)
    book.put(MarkRecord("arxiv:1706.03762", tkey, read=True, read_ts=5.0))
    changed = book.absorb([MarkRecord(tkey, tkey, bookmarked=True, bookmarked_ts=7.0)])
    assert changed == {"arxiv:1706.03762", tkey}
    [rec] = book.recs.values()
    assert (rec.key, rec.read, rec.bookmarked) == ("arxiv:1706.03762", True, True)
    assert book.absorb([rec]) == set()  # nothing new: nothing changed


def test_warnings_put_back_go_before_newer_ones() -> None:
    warnings = Warnings()
    warnings.add("first")
    taken = warnings.take()
    warnings.add("second")
    warnings.put_back(taken)
    assert warnings.take() == ["first", "second"]
    assert warnings.take() == []


def test_a_damaged_file_is_set_aside_and_a_partly_bad_one_copied(tmp_path: Path) -> None:
    warnings = Warnings()
    path = tmp_path / "state.json"
    path.write_text("{not json")
    assert read_or_set_aside(path, warnings) == ({}, None)
    assert not path.exists()
    [moved] = warnings.take()
    assert "state.json was damaged (unreadable-json)" in moved
    path.write_text("{}")
    keep_damaged_copy(path, 3, warnings)
    assert path.read_text() == "{}"  # the original stays in use
    [copied] = warnings.take()
    assert "skipped 3 unreadable entries" in copied
    assert len(list(tmp_path.glob("state.damaged-*-bad-records.json"))) == 1


def test_the_parts_refuse_use_before_the_store_opens(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with pytest.raises(RuntimeError):
        store.marks.set_read(WITH_ID, True)
    with pytest.raises(RuntimeError):
        store.saved_lists.get("trending")
    with pytest.raises(RuntimeError):
        store.papers.add_papers([WITH_ID])
    assert not (tmp_path / "library.sqlite3").exists()


def test_the_parts_are_the_stores_own(tmp_path: Path) -> None:
    dated = Paper(title="A dated paper", arxiv_id="2503.00001", published="2025-03-18")
    with Store(tmp_path) as store:
        store.marks.set_bookmarked(WITH_ID, True)
        assert store.mark(WITH_ID).bookmarked and store.counts([WITH_ID, dated]) == (2, 1)
        store.papers.add_papers([WITH_ID, dated], listing="trending")
        assert store.papers.count() == 2
        store.flush()
        names = [entry[0] for entry in store.files_fingerprint()]
        assert names == ["state.json", "library.sqlite3"]
        assert store.listing_names() == store.saved_lists.names() == ["trending"]
        latest = store.saved_lists.latest("trend")
        assert latest is not None and [p.title for p in latest.papers] == [WITH_ID.title, dated.title]
        assert store.state_path == store.marks.path == tmp_path / "state.json"
        assert store.papers.path == tmp_path / "library.sqlite3"
