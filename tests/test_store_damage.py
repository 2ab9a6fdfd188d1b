"""Damaged files are set aside with their bytes intact and a warning saying where; a newer
schema or an unusable data dir is refused. Nothing is ever silently overwritten."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reader.model.errors import StoreError
from reader.model.paper import Paper
from reader.library.storage import doc_json, tables_bytes
from reader.library.store import Store

A = Paper(title="A paper", arxiv_id="2501.00001", published="2025-01-10")
B = Paper(title="B paper", arxiv_id="2502.00002", published="2025-02-10")


def seeded(tmp_path: Path) -> None:
    """A data dir with a mark, a listing and two library shards."""
    s = Store(tmp_path)
    assert s.open() == []
    s.set_bookmarked(A, True)
    s.add_papers([A, B], listing="day:2025-02-10")
    s.close()


def old_library(tmp_path: Path) -> None:
    """A data dir as an older reader left it: the library in month files (A, B), a mark."""
    seeded(tmp_path)
    (tmp_path / "library.sqlite3").unlink()
    library = tmp_path / "library"
    library.mkdir()
    for paper in (A, B):
        doc = doc_json({"key": paper.key, "title_key": paper.title_key, **paper.to_record()})
        (library / f"{paper.published[:7]}.json").write_bytes(tables_bytes({"papers": [doc]}))


def kept_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if ".damaged-" in p.name)


DAMAGE = {
    "truncated": (lambda good: good[: len(good) // 2], "unreadable-json"),
    "garbage": (lambda good: b"\x89PNG\r\n\x1a\n\x00\xff binary garbage", "unreadable-json"),
    "empty": (lambda good: b"", "empty"),
    "not-tinydb": (lambda good: b'["a", "list"]', "not-tinydb"),
    "wrong-schema": (lambda good: good.replace(b'"schema":1', b'"schema":0'), "bad-schema"),
    "missing-schema": (lambda good: good.replace(b'"meta":{"1":{"schema":1}},', b""), "bad-schema"),
}


@pytest.mark.parametrize("name", ["state.json", "listings.json"])
@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damaged_file_on_open_is_set_aside(tmp_path: Path, name: str, kind: str) -> None:
    seeded(tmp_path)
    path = tmp_path / name
    damage, reason = DAMAGE[kind]
    bad = damage(path.read_bytes())
    path.write_bytes(bad)
    s = Store(tmp_path)
    warnings = s.open()
    [kept] = kept_files(tmp_path)
    assert kept.read_bytes() == bad  # the damaged bytes, kept as they were
    assert kept.name.startswith(name.removesuffix(".json") + ".damaged-")
    assert kept.name.endswith(f"-{reason}.json")
    assert len(warnings) == 1 and str(kept) in warnings[0] and "\n" not in warnings[0]
    assert not path.exists()  # started fresh: nothing written over the damaged file
    # The store works on: the other file's data is still there, new marks are saved.
    if name == "state.json":
        assert not s.mark(A).bookmarked
        assert s.saved_listing("day:2025-02-10") is not None
    else:
        assert s.mark(A).bookmarked
        assert s.saved_listing("day:2025-02-10") is None
    s.set_read(B, True)
    s.add_papers([B], listing="day:again")
    s.close()
    again = Store(tmp_path)
    assert again.open() == []
    assert again.mark(B).read
    again.close()


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damaged_month_file_is_set_aside_when_imported(tmp_path: Path, kind: str) -> None:
    old_library(tmp_path)
    path = tmp_path / "library" / "2025-01.json"
    damage, reason = DAMAGE[kind]
    bad = damage(path.read_bytes())
    path.write_bytes(bad)
    s = Store(tmp_path)
    damaged, moved = s.open()
    assert [p.key for p in s.library()] == [B.key]
    [kept] = kept_files(tmp_path / "library-month-files")
    assert kept.read_bytes() == bad and kept.name.endswith(f"-{reason}.json")
    assert kept.name in damaged and "(1 papers) moved into library.sqlite3" in moved
    s.add_papers([A])  # the paper comes back into the library
    assert sorted(p.key for p in s.library()) == [A.key, B.key]
    s.close()


@pytest.mark.parametrize("name", ["state.json", "listings.json", "library/2025-01.json"])
def test_newer_schema_is_refused_and_left_alone(tmp_path: Path, name: str) -> None:
    old_library(tmp_path)
    path = tmp_path / name
    newer = path.read_bytes().replace(b'"schema":1', b'"schema":2')
    path.write_bytes(newer)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*.json")}
    s = Store(tmp_path)
    with pytest.raises(StoreError, match="newer paper-reader") as info:
        s.open()
        s.library()
    assert "\n" not in str(info.value)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*.json")} == before
    assert not kept_files(tmp_path) and not kept_files(tmp_path / "library")
    assert (tmp_path / "library").is_dir()  # not moved aside: nothing was imported for good


def test_unreadable_file_is_set_aside_with_its_contents(tmp_path: Path) -> None:
    """As root chmod 000 does not stop reading, so a directory stands in the file's place."""
    seeded(tmp_path)
    path = tmp_path / "state.json"
    good = path.read_bytes()
    path.unlink()
    path.mkdir()
    (path / "inside").write_bytes(good)
    s = Store(tmp_path)
    [warning] = s.open()
    [kept] = kept_files(tmp_path)
    assert kept.name.endswith("-unreadable.json") and str(kept) in warning
    assert (kept / "inside").read_bytes() == good
    s.set_read(A, True)
    s.close()
    assert json.loads(path.read_text())["marks"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_by_permissions(tmp_path: Path) -> None:
    seeded(tmp_path)
    path = tmp_path / "state.json"
    good = path.read_bytes()
    path.chmod(0)
    s = Store(tmp_path)
    [warning] = s.open()
    [kept] = kept_files(tmp_path)
    kept.chmod(0o600)
    assert kept.read_bytes() == good and str(kept) in warning
    s.close()


def test_bad_records_are_skipped_and_a_copy_kept(tmp_path: Path) -> None:
    seeded(tmp_path)
    path = tmp_path / "state.json"
    data = json.loads(path.read_text())
    data["marks"]["2"] = {"key": "arxiv:1", "read": "yes"}
    raw = json.dumps(data).encode()
    path.write_bytes(raw)
    s = Store(tmp_path)
    [warning] = s.open()
    [kept] = kept_files(tmp_path)
    assert kept.read_bytes() == raw and str(kept) in warning and "bad-records" in kept.name
    assert s.mark(A).bookmarked  # the good records are still in use
    s.close()


def test_file_damaged_while_running_is_set_aside_before_the_next_write(tmp_path: Path) -> None:
    seeded(tmp_path)
    s = Store(tmp_path)
    assert s.open() == []
    path = tmp_path / "state.json"
    path.write_bytes(b"{ broken by something else")
    s.set_read(B, True)
    s.flush()
    [kept] = kept_files(tmp_path)
    assert kept.read_bytes() == b"{ broken by something else"
    [warning] = s.take_warnings()
    assert str(kept) in warning
    s.close()
    again = Store(tmp_path)
    assert again.open() == []
    assert again.mark(A).bookmarked and again.mark(B).read  # memory had them all
    again.close()


def test_data_dir_that_is_a_file_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot use data dir"):
        Store(blocker).open()
    with pytest.raises(StoreError, match="cannot use data dir"):
        Store(blocker / "below").open()
    assert blocker.read_text() == "not a directory"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes whatever the mode")
def test_read_only_data_dir_is_refused(tmp_path: Path) -> None:
    (tmp_path / "library").mkdir()
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(StoreError, match="cannot use data dir"):
            Store(tmp_path).open()
    finally:
        tmp_path.chmod(0o755)


def test_stale_temp_files_from_a_kill_are_removed(tmp_path: Path) -> None:
    seeded(tmp_path)
    stale = tmp_path / ".state.json.abc123.tmp"
    stale.write_bytes(b'{"half": ')
    s = Store(tmp_path)
    assert s.open() == []
    assert not stale.exists()
    s.close()
