"""The reader under local faults: another reader's marks show, a failed save is said, quitting
keeps unsaved marks aside; in Pilot and, end to end, as real processes in tmux."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.cli import make_app
from reader.library.store import Store
from reader.session.loader import sample_papers
from test_app_keys import wait_for
from test_marks_faults import HOLD_LOCK, fill, tmpfs
from test_tmux_e2e import READER, Tmux


async def test_another_readers_mark_shows_and_a_toggle_acts_on_it(data_dir: Path) -> None:
    app = make_app(["--sample", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        paper = screen.paper_list.current
        assert screen.status.unread == 31
        other = Store(data_dir)
        other.open()
        other.set_read(paper, True)
        assert other.close() == []
        assert await wait_for(pilot, lambda: screen.status.unread == 30, timeout=4)
        assert screen.store.mark(paper).read
        await pilot.press("r")  # read on disk, so the toggle makes it unread
        assert not screen.store.mark(paper).read and screen.status.unread == 31
    again = Store(data_dir)
    again.open()
    assert not again.mark(paper).read
    again.close()


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A disk with room for the sample's library, to be filled."""
    with tmpfs(tmp_path, "1m") as mount:
        yield mount


async def test_a_full_disk_is_said_on_screen_and_the_marks_kept_aside_at_quit(
    disk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    small_disk = disk
    data_dir = disk / "data"
    app = make_app(["--sample", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        fill(small_disk)
        await pilot.press("r")
        said = lambda: [n.message for n in app._notifications if "marks not saved" in n.message]  # noqa: E731
        assert await wait_for(pilot, lambda: said(), timeout=4)
        assert "marks not saved" in (app.screen.status.notice or "")
        await pilot.pause(2.5)
        assert len(said()) == 1  # retried meanwhile, said once
    [message] = app.quit_messages
    kept = [*data_dir.glob("unsaved-marks-*.json"), *tmp_path.glob("unsaved-marks-*.json")]
    assert len(kept) == 1 and str(kept[0]) in message and " read" in message
    assert json.loads(kept[0].read_text())["unsaved_marks"][0]["read"] is True


tmux_needed = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is installed by .ci/run")


@pytest.fixture
def term(tmp_path: Path):  # type: ignore[no-untyped-def]
    made = Tmux(tmp_path, 200, 40)
    yield made
    made.close()


@tmux_needed
def test_two_real_readers_see_each_others_marks(term: Tmux, data_dir: Path) -> None:
    term.start(f"{READER} --sample")
    term.wait_for("31 unread")
    code = (
        "import sys\nfrom reader.library.store import Store\nfrom reader.session.loader import sample_papers\n"
        "s = Store(sys.argv[1]); s.open()\nfor p in sample_papers(): s.set_read(p, True)\ns.close()\n"
    )
    subprocess.run([sys.executable, "-c", code, str(data_dir)], check=True, timeout=60, env=term.env)
    term.wait_for("0 unread", timeout=6)
    term.keys("r")  # the paper under the cursor is read on disk: the toggle makes it unread
    term.wait_for("1 unread")
    term.keys("q")
    term.wait_for("READER-EXITED-0")
    store = Store(data_dir)
    store.open()
    assert store.counts(sample_papers()) == (1, 0)
    store.close()


@tmux_needed
def test_quitting_under_a_held_lock_is_quick_and_says_where_the_marks_are(term: Tmux, data_dir: Path) -> None:
    term.start(f"{READER} --sample")
    term.wait_for("31 unread")
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(data_dir / ".lock")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        term.keys("r")
        term.wait_for("30 unread")
        started = time.monotonic()
        term.keys("q")
        screen = term.wait_for("READER-EXITED-1", timeout=10)
        assert time.monotonic() - started < 4
    finally:
        holder.kill()
        holder.wait()
    assert "Traceback" not in screen and "not saved" in screen
    [kept] = data_dir.glob("unsaved-marks-*.json")
    assert kept.name in screen.replace("\n", "")
    assert json.loads(kept.read_text())["unsaved_marks"][0]["read"] is True
