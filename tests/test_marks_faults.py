"""Marks under local faults: two readers at once, a full disk, a held lock, files of the wrong shape."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.library import load_first_screen, save_first_screen
from reader.library.storage import doc_json, tables_bytes
from reader.library.store import Store
from reader.model import Paper

A = Paper(title="Paper A", arxiv_id="2501.00001", published="2025-01-02")
B = Paper(title="Paper B", arxiv_id="2501.00002", published="2025-01-03")


def opened(data_dir: Path) -> Store:
    store = Store(data_dir)
    store.open()
    return store


def wait_until(check, timeout: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


# two readers ------------------------------------------------------------------------------


def test_a_toggle_acts_on_what_another_reader_saved(tmp_path: Path) -> None:
    first, second = opened(tmp_path), opened(tmp_path)  # the second opened before the mark
    first.set_read(A, True)
    first.flush()
    assert second.toggle_read(A).read is False  # read on disk: the toggle makes it unread
    second.flush()
    first.reload_marks()
    assert first.mark(A).read is False
    assert second.counts([A, B]) == (2, 0)  # never more unread than papers
    first.close(), second.close()


def test_a_watching_reader_takes_in_another_readers_marks_within_seconds(tmp_path: Path) -> None:
    watcher, other = opened(tmp_path), opened(tmp_path)
    watcher.marks.watch()
    seen = watcher.marks.merged_version
    other.set_bookmarked(B, True)
    other.flush()
    assert wait_until(lambda: watcher.mark(B).bookmarked, timeout=4)
    assert watcher.marks.merged_version != seen
    assert watcher.counts([A, B]) == (2, 1)
    watcher.close(), other.close()


def test_a_mark_another_process_saves_is_toggled_from_its_saved_state(tmp_path: Path) -> None:
    mine = opened(tmp_path)
    assert not mine.mark(A).read
    code = (
        "import sys; from reader.library.store import Store; from reader.model import Paper\n"
        "s = Store(sys.argv[1]); s.open()\n"
        "s.set_read(Paper(title='Paper A', arxiv_id='2501.00001'), True); s.close()\n"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True, timeout=60)
    assert mine.toggle_read(A).read is False
    assert mine.close() == []
    again = opened(tmp_path)
    assert not again.mark(A).read
    again.close()


# a full disk and a held lock ---------------------------------------------------------------


@contextlib.contextmanager
def tmpfs(tmp_path: Path, size: str) -> Iterator[Path]:
    """A small tmpfs in tmp_path (the tests run as root; elsewhere mounting is refused)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip() or done.returncode}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A small disk (room for a new library's database), to be filled."""
    with tmpfs(tmp_path, "512k") as mount:
        yield mount


def fill(directory: Path) -> None:
    """Take every free byte of the filesystem ``directory`` is on."""
    with open(directory / "filler", "wb", buffering=0) as filler:
        for size in (4096, 512, 1):
            try:
                while True:
                    filler.write(b"x" * size)
            except OSError:
                pass


def test_a_full_disk_is_said_once_retried_and_the_marks_kept_aside_at_close(
    small_disk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "tmp"
    elsewhere.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(elsewhere))
    data_dir = small_disk / "data"
    store = opened(data_dir)
    store.set_bookmarked(B, True)
    store.flush()
    fill(small_disk)
    store.set_read(A, True)
    assert wait_until(lambda: store.marks.save_error is not None)
    time.sleep(2.5)  # retried meanwhile, and said no more than once
    said = [w for w in store.take_warnings() if "marks not saved" in w]
    assert len(said) == 1 and "No space left" in said[0]
    started = time.monotonic()
    [message] = store.close()
    assert time.monotonic() - started < 3
    [kept] = list(data_dir.glob("unsaved-marks-*.json")) or list(elsewhere.glob("unsaved-marks-*.json"))
    assert str(kept) in message and "2501.00001 read" in message
    [doc] = json.loads(kept.read_text())["unsaved_marks"]
    assert doc["key"] == "arxiv:2501.00001" and doc["read"] is True


def test_once_the_disk_has_room_again_the_marks_are_saved_and_that_is_said(small_disk: Path) -> None:
    data_dir = small_disk / "data"
    store = opened(data_dir)
    fill(small_disk)
    store.set_read(A, True)
    assert wait_until(lambda: store.marks.save_error is not None)
    (small_disk / "filler").unlink()
    assert wait_until(lambda: store.marks.save_error is None, timeout=5)
    assert any("marks saved" in w for w in store.take_warnings())
    assert store.close() == []
    again = opened(data_dir)
    assert again.mark(A).read
    again.close()


HOLD_LOCK = (
    "import fcntl, os, sys, time\n"
    "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
    "fcntl.flock(fd, fcntl.LOCK_EX)\n"
    "print('held', flush=True)\n"
    "time.sleep(120)\n"
)


@pytest.fixture
def held_lock(tmp_path: Path) -> Iterator[Path]:
    """The data dir with another process holding ``flock`` on its ``.lock``."""
    data_dir = tmp_path / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(data_dir / ".lock")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield data_dir
    finally:
        holder.kill()
        holder.wait()


def test_close_under_a_held_lock_takes_a_second_and_keeps_the_marks_aside(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    store = opened(data_dir)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(data_dir / ".lock")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        store.set_read(A, True)
        store.set_bookmarked(B, True)
        time.sleep(0.5)  # the writer is waiting for the lock now
        started = time.monotonic()
        [message] = store.close()
        assert time.monotonic() - started < 2.5
    finally:
        holder.kill()
        holder.wait()
    [kept] = data_dir.glob("unsaved-marks-*.json")
    assert str(kept) in message and "2 mark(s) not saved" in message
    docs = {d["key"]: d for d in json.loads(kept.read_text())["unsaved_marks"]}
    assert docs["arxiv:2501.00001"]["read"] and docs["arxiv:2501.00002"]["bookmarked"]


# local files of the wrong shape ------------------------------------------------------------

DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize("name", ["state.json", "listings.json"])
def test_json_nested_too_deep_is_set_aside_in_one_line(tmp_path: Path, name: str) -> None:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / name).write_bytes(b'{"meta": {"1": {"schema": 1}}, "x": ' + DEEP + b"}")
    store = Store(tmp_path)
    [warning] = store.open()
    assert name in warning and "damaged" in warning and "\n" not in warning
    [kept] = tmp_path.glob(name.removesuffix(".json") + ".damaged-*.json")
    assert str(kept) in warning
    store.set_read(A, True)
    assert store.close() == []


def test_a_mark_with_one_field_of_the_wrong_type_is_dropped_and_counted(tmp_path: Path) -> None:
    store = opened(tmp_path)
    store.set_read(A, True)
    store.set_read(B, True)
    store.close()
    data = json.loads((tmp_path / "state.json").read_text())
    doc = next(d for d in data["marks"].values() if d["key"] == "arxiv:2501.00002")
    doc["read_at"] = "\x1b]52;c;aGk=\x07"  # an escape sequence where a time should be
    (tmp_path / "state.json").write_text(json.dumps(data))
    again = Store(tmp_path)
    [warning] = again.open()
    assert "skipped 1 unreadable entries" in warning
    assert again.mark(A).read and not again.mark(B).read
    again.close()


def month_files(data_dir: Path, papers: list[Paper]) -> Path:
    """The library as an older reader kept it: these papers in one month file."""
    (data_dir / "library").mkdir(parents=True, exist_ok=True)
    shard = data_dir / "library" / "2025-01.json"
    docs = [doc_json({"key": p.key, "title_key": p.title_key, **p.to_record()}) for p in papers]
    shard.write_bytes(tables_bytes({"papers": docs}))
    return shard


def test_stored_papers_get_the_checks_network_text_gets(tmp_path: Path) -> None:
    shard = month_files(tmp_path, [A, B])
    data = json.loads(shard.read_text())
    docs = list(data["papers"].values())
    docs[0].update(title="Paper \x1b[31mA\x1b[0m", code_url="javascript:alert(1)", project_url="https://ok.example/p")
    docs[1]["published"] = 20250103  # a number where a date should be
    shard.write_text(json.dumps(data))
    again = Store(tmp_path)
    [warning] = again.open()
    [paper] = again.library()
    assert paper.title == "Paper A" and paper.code_url is None and paper.project_url == "https://ok.example/p"
    assert "1 damaged records were skipped" in warning
    again.close()


def test_a_bad_saved_list_record_is_copied_aside_once_not_at_every_start(tmp_path: Path) -> None:
    store = opened(tmp_path)
    store.add_papers([A, B], listing="day:2025-01-03")
    store.close()
    data = json.loads((tmp_path / "listings.json").read_text())
    data["listings"]["1"]["keys"][0] = 42  # a key that is not text
    (tmp_path / "listings.json").write_text(json.dumps(data))
    for _ in range(3):
        again = Store(tmp_path)
        [warning] = again.open()
        assert "listings.json: skipped 1" in warning
        again.close()
    assert len(list(tmp_path.glob("listings.damaged-*.json"))) == 1


@pytest.mark.parametrize("change", [
    {"published": 20250318}, {"abstract": 7}, {"code_url": 12}, {"authors": [1, 2]},
])
def test_a_first_screen_of_the_wrong_shape_is_said_and_not_used(tmp_path: Path, change: dict) -> None:  # type: ignore[type-arg]
    store = opened(tmp_path)
    store.add_papers([A, B])
    store.close()
    save_first_screen(store)
    path = tmp_path / "first-screen.json"
    saved = json.loads(path.read_text())
    assert load_first_screen(Store(tmp_path)) is not None
    saved["papers"][0].update(change)
    path.write_text(json.dumps(saved))
    fresh = Store(tmp_path)
    assert load_first_screen(fresh) is None
    [warning] = fresh.open()
    assert "first-screen.json was not usable" in warning
    fresh.close()


def test_a_first_screen_nested_too_deep_is_said_and_not_used(tmp_path: Path) -> None:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "first-screen.json").write_bytes(DEEP)
    fresh = Store(tmp_path)
    assert load_first_screen(fresh) is None
    [warning] = fresh.open()
    assert "first-screen.json" in warning and "too deep" in warning
    fresh.close()


def test_export_says_a_truncated_month_file_was_set_aside(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    shard = month_files(data_dir, [A, B])
    shard.write_bytes(shard.read_bytes()[:40])
    done = subprocess.run(
        [sys.executable, "-m", "reader", "export", "--offline", "--format", "json"],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "PAPER_READER_DATA_DIR": str(data_dir)},
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    [kept] = (data_dir / "library-month-files").glob("2025-01.damaged-*.json")
    [line] = [line for line in done.stderr.splitlines() if "2025-01.json" in line]
    assert str(kept) in line


def test_export_on_a_deeply_nested_saved_list_file_is_one_line(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "listings.json").write_bytes(DEEP)
    done = subprocess.run(
        [sys.executable, "-m", "reader", "export", "--offline", "--format", "json"],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "PAPER_READER_DATA_DIR": str(data_dir)},
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert len([line for line in done.stderr.splitlines() if "listings.json" in line]) == 1
