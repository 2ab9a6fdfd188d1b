"""Marks across machines through one sync folder: real processes, each with its own data dir.

Each machine's copy of the folder is a directory of its own here, and the test plays the
sync tool: it copies files between them, conflict copies and damaged files included.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.library.store import Store
from reader.library.sync import MACHINE_ID_FILE

HELPERS = Path(__file__).parent / "helpers"


def machine(tmp_path: Path, name: str) -> tuple[Path, Path, Path]:
    """(data dir, its copy of the sync folder, a config naming that folder)."""
    data, folder = tmp_path / f"data-{name}", tmp_path / f"sync-{name}"
    config = tmp_path / f"{name}.toml"
    config.write_text(f'# machine {name}\n[sync]\nfolder = "{folder}"\n', encoding="utf-8")
    return data, folder, config


def run_marks(data: Path, folder: Path, *changes: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, str(HELPERS / "sync_worker.py"), str(data), str(folder), *changes],
        capture_output=True, text=True, timeout=60, env=os.environ.copy(),
    )
    assert result.returncode == 0, result.stderr
    return result


def export(data: Path, config: Path) -> tuple[dict[str, tuple[bool, bool]], str]:
    """What ``paper-reader export`` on that machine says: arXiv id -> (read, bookmarked)."""
    result = subprocess.run(
        [sys.executable, "-m", "reader", "export", "--data-dir", str(data), "--config", str(config)],
        capture_output=True, text=True, timeout=60, env=os.environ.copy(),
    )
    assert result.returncode == 0, result.stderr
    return {p["id"]: (p["read"], p["bookmarked"]) for p in json.loads(result.stdout)}, result.stderr


def machine_id(data: Path) -> str:
    return (data / MACHINE_ID_FILE).read_text().strip()


def copy_all(source: Path, target: Path) -> None:
    """The sync tool: every file of one copy of the folder, now in the other too."""
    target.mkdir(exist_ok=True)
    for path in source.iterdir():
        if not (target / path.name).exists():
            shutil.copy2(path, target / path.name)


def test_two_machines_see_every_mark_and_the_newer_change_wins(tmp_path: Path) -> None:
    data_a, sync_a, config_a = machine(tmp_path, "a")
    data_b, sync_b, config_b = machine(tmp_path, "b")
    run_marks(data_a, sync_a, "1:read=1", "2:bookmarked=1", "1:bookmarked=1")
    # B has not received A's file yet: its change to paper 1 is later, and unread.
    run_marks(data_b, sync_b, "1:read=1", "1:read=0", "3:read=1")
    # Two more machines whose files reach A and B only as sync tools' conflict copies.
    data_c, sync_c, _ = machine(tmp_path, "c")
    data_d, sync_d, _ = machine(tmp_path, "d")
    run_marks(data_c, sync_c, "4:bookmarked=1")
    run_marks(data_d, sync_d, "5:read=1")
    id_a, id_b = machine_id(data_a), machine_id(data_b)
    syncthing = f"marks-{id_b}.sync-conflict-20250318-101010-ABCDEFG.json"
    dropbox = f"marks-{id_a} (laptop's conflicted copy 2025-03-18).json"
    shutil.copy(sync_c / f"marks-{machine_id(data_c)}.json", sync_a / syncthing)
    shutil.copy(sync_d / f"marks-{machine_id(data_d)}.json", sync_b / dropbox)
    # A file cut short by a crash elsewhere, and one from a newer paper-reader.
    (sync_a / "marks-old-laptop.json").write_text('{"schema": 1, "marks": [{"key": "arxiv:2503.00006", "re')
    (sync_b / "marks-future.json").write_text('{"schema": 2, "marks": []}')
    copy_all(sync_a, sync_b)
    copy_all(sync_b, sync_a)
    before = {path.name: path.read_bytes() for path in sync_a.iterdir()}

    expected = {
        "2503.00001": (False, True),  # B's unread is newer than A's read; A's bookmark stays
        "2503.00002": (False, True),
        "2503.00003": (True, False),
        "2503.00004": (False, True),  # from the Syncthing conflict copy
        "2503.00005": (True, False),  # from the Dropbox conflicted copy
        "2503.00006": (False, False),
    }
    seen_a, warned_a = export(data_a, config_a)
    seen_b, warned_b = export(data_b, config_b)
    assert seen_a == expected
    assert seen_b == expected
    assert "marks-old-laptop.json is damaged" in warned_a and "marks-old-laptop.json is damaged" in warned_b
    assert "marks-future.json is from a newer paper-reader" in warned_a

    # Each machine wrote only its own file; the others' (damaged ones too) are as they came.
    for name, content in before.items():
        if name != f"marks-{id_a}.json":
            assert (sync_a / name).read_bytes() == content, name
    assert (sync_a / f"marks-{id_a}.json").read_bytes() != before[f"marks-{id_a}.json"]
    for folder in (sync_a, sync_b):
        assert not [p.name for p in folder.iterdir() if not p.name.startswith("marks-")]
    assert (data_a / "state.json").exists() and not (sync_a / "state.json").exists()

    # The machine id is kept: the next run writes the same file.
    run_marks(data_a, sync_a, "6:read=1")
    assert machine_id(data_a) == id_a
    assert len([p for p in sync_a.iterdir() if p.name.startswith(f"marks-{id_a}")]) == 2  # own + Dropbox copy


def test_a_sync_folder_holding_the_data_dir_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "Sync"
    store = Store(folder / "data", sync_folder=folder)
    warnings = store.open()
    store.close()
    assert any("sync is off" in w for w in warnings)
    assert not store.syncing


async def test_a_running_reader_shows_marks_another_machine_makes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.app
    from reader.cli import make_app

    from test_app_keys import ready, wait_for

    monkeypatch.setattr(reader.app, "SYNC_POLL", 0.2)
    data_a, folder, config = machine(tmp_path, "a")
    data_b = tmp_path / "data-b"
    run_marks(data_a, folder)  # A's library holds the shared papers
    app = make_app(["--offline", "--data-dir", str(data_a), "--config", str(config)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        paper = next(p for p in screen.papers if p.arxiv_id == "2503.00006")
        assert not screen.store.mark(paper).bookmarked
        run_marks(data_b, folder, "6:bookmarked=1")
        assert await wait_for(pilot, lambda: screen.status.bookmarked == 1, timeout=10)
        assert screen.store.mark(paper).bookmarked
        assert screen.status.bookmarked == 1
