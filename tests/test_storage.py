"""AtomicJSONStorage and the file helpers: atomic writes, damage is raised not hidden."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest
from tinydb import TinyDB

from reader.library import storage as storage_mod
from reader.model.errors import StoreError
from reader.library.storage import (
    SCHEMA,
    DamagedFileError,
    DirLock,
    atomic_write,
    doc_json,
    schema_of,
    set_aside,
    tables_bytes,
)
from reader.library.tinydb_storage import AtomicJSONStorage, read_tables


def test_tinydb_round_trip_compact_utf8(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    db = TinyDB(path, storage=AtomicJSONStorage)
    db.insert({"title": "Über große Modelle — ünïcode", "n": 1})
    db.table("meta").insert({"schema": SCHEMA})
    db.close()
    raw = path.read_text(encoding="utf-8")
    assert "Über große" in raw  # ensure_ascii=False
    assert ": " not in raw and ", " not in raw  # compact separators
    again = TinyDB(path, storage=AtomicJSONStorage)
    assert again.all() == [{"title": "Über große Modelle — ünïcode", "n": 1}]
    assert json.loads(raw)["meta"] == {"1": {"schema": SCHEMA}}


def test_missing_file_is_no_data_and_creating_storage_does_no_io(tmp_path: Path) -> None:
    path = tmp_path / "absent.json"
    storage = AtomicJSONStorage(path)
    assert not path.exists()
    assert storage.read() is None
    assert TinyDB(path, storage=AtomicJSONStorage).all() == []
    assert not path.exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"  \n", "empty"),
        (b'{"_default": {"1": {"title": "cut', "unreadable-json"),
        (b"\x00\xff\xfe garbage \x89PNG", "unreadable-json"),
        (b"[1, 2, 3]", "not-tinydb"),
        (b'{"_default": [1, 2]}', "not-tinydb"),
        (b'{"_default": {"x": {}}}', "not-tinydb"),
    ],
)
def test_existing_damaged_file_raises(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "db.json"
    path.write_bytes(content)
    with pytest.raises(DamagedFileError) as info:
        AtomicJSONStorage(path).read()
    assert info.value.reason == reason
    assert path.read_bytes() == content  # reading never touches the file


def test_directory_in_place_of_file_is_unreadable(tmp_path: Path) -> None:
    (tmp_path / "db.json").mkdir()
    with pytest.raises(DamagedFileError) as info:
        AtomicJSONStorage(tmp_path / "db.json").read()
    assert info.value.reason == "unreadable"


def test_write_replaces_atomically_and_fsyncs_file_and_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "db.json"
    path.write_text('{"_default": {}}')
    synced: list[bool] = []
    real_fsync = os.fsync

    def spy(fd: int) -> None:
        synced.append(os.path.isdir(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(storage_mod.os, "fsync", spy)
    inode = path.stat().st_ino
    AtomicJSONStorage(path).write({"_default": {"1": {"a": 1}}})
    assert json.loads(path.read_text()) == {"_default": {"1": {"a": 1}}}
    assert path.stat().st_ino != inode  # a new file renamed over, not rewritten in place
    assert synced == [False, True]  # the data, then the directory entry
    assert [p.name for p in tmp_path.iterdir()] == ["db.json"]  # no temp file left


def test_failed_write_leaves_old_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "db.json"
    path.write_text('{"_default": {"1": {"keep": true}}}')

    def boom(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage_mod.os, "replace", boom)
    with pytest.raises(OSError):
        AtomicJSONStorage(path).write({"_default": {}})
    assert json.loads(path.read_text()) == {"_default": {"1": {"keep": True}}}
    assert [p.name for p in tmp_path.iterdir()] == ["db.json"]


def test_lone_surrogate_still_writes_valid_json(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    storage = AtomicJSONStorage(path)
    storage.write({"_default": {"1": {"title": "bad \ud800 half"}}})
    assert storage.read() == {"_default": {"1": {"title": "bad \ud800 half"}}}


def test_schema_checks(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    assert schema_of({"meta": {"1": {"schema": 1}}, "marks": {}}, path) == 1
    assert schema_of({}, path) is None
    for bad in ({"marks": {"1": {}}}, {"meta": {"1": {"schema": "1"}}}, {"meta": {"1": {}}, "x": {"1": {}}}):
        with pytest.raises(DamagedFileError) as info:
            schema_of(bad, path)
        assert info.value.reason == "bad-schema"
    with pytest.raises(StoreError, match="newer paper-reader"):
        schema_of({"meta": {"1": {"schema": SCHEMA + 1}}}, path)


def test_tables_bytes_is_a_tinydb_file_with_meta_first(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    docs = [{"key": "a", "t": "ü \ud800"}, {"key": "b", "n": [1, None]}]
    atomic_write(path, tables_bytes({"marks": [doc_json(d) for d in docs]}))
    storage = AtomicJSONStorage(path)
    assert read_tables(storage) == {"marks": {"1": docs[0], "2": docs[1]}}
    assert list(json.loads(path.read_bytes())) == ["meta", "marks"]
    with TinyDB(path, storage=AtomicJSONStorage) as db:
        assert db.table("marks").all() == docs


def test_set_aside_names_and_never_overwrites(tmp_path: Path) -> None:
    first, second = tmp_path / "state.json", tmp_path / "state.json"
    first.write_bytes(b"one")
    kept1 = set_aside(first, "empty")
    second.write_bytes(b"two")
    kept2 = set_aside(second, "empty")
    assert kept1 != kept2
    assert kept1.read_bytes() == b"one" and kept2.read_bytes() == b"two"
    assert kept1.name.startswith("state.damaged-") and kept1.name.endswith("-empty.json")
    assert not (tmp_path / "state.json").exists()
    copy_src = tmp_path / "listings.json"
    copy_src.write_bytes(b"three")
    kept3 = set_aside(copy_src, "bad-records", copy=True)
    assert copy_src.read_bytes() == kept3.read_bytes() == b"three"


def test_dir_lock_excludes_threads_and_nests(tmp_path: Path) -> None:
    lock = DirLock(tmp_path)
    inside = 0
    most = 0
    guard = threading.Lock()

    def work() -> None:
        nonlocal inside, most
        for _ in range(20):
            with lock.held():
                with lock.held():  # the same thread may nest
                    with guard:
                        inside += 1
                        most = max(most, inside)
                    time.sleep(0.0005)
                    with guard:
                        inside -= 1

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most == 1
