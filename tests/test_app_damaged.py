"""The reader and export on a damaged data dir: the damage is kept aside, named, and they go on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from reader.cli import make_app
from reader.library.store import Store

GARBAGE = b'{"marks": {"1": {"key": "arxiv:2501.0'


def seed_marks(data_dir: Path) -> None:
    from reader.session.loader import sample_papers

    store = Store(data_dir)
    store.open()
    papers = store.add_papers(sample_papers(), listing="sample")
    store.set_bookmarked(papers[-1], True)
    store.close()


async def test_a_truncated_state_file_is_kept_aside_and_the_reader_starts(data_dir: Path) -> None:
    seed_marks(data_dir)
    (data_dir / "state.json").write_bytes(GARBAGE)
    app = make_app(["--sample", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        kept = sorted(data_dir.glob("state.damaged-*.json"))
        assert len(kept) == 1 and kept[0].read_bytes() == GARBAGE
        warnings = [n.message for n in app._notifications if n.severity == "warning"]
        assert any(kept[0].name in w for w in warnings), warnings
        assert len(app.screen.paper_list.papers) == 31
        await pilot.press("b")
        assert app.screen.store.mark(app.screen.paper_list.current).bookmarked
    assert json.loads((data_dir / "state.json").read_text())


def test_export_on_an_empty_state_file_says_where_it_went(data_dir: Path) -> None:
    seed_marks(data_dir)
    (data_dir / "state.json").write_bytes(b"")
    done = subprocess.run(
        [sys.executable, "-m", "reader", "export", "--format", "json"],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "PAPER_READER_DATA_DIR": str(data_dir)},
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 31
    kept = sorted(data_dir.glob("state.damaged-*.json"))
    assert len(kept) == 1
    assert kept[0].name in done.stderr and "Traceback" not in done.stderr


def test_a_newer_schema_is_refused_with_one_line(data_dir: Path) -> None:
    seed_marks(data_dir)
    state = data_dir / "state.json"
    data = json.loads(state.read_text())
    data["meta"] = {"1": {"schema": 99}}
    state.write_text(json.dumps(data))
    before = state.read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "reader", "--sample"],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
        env={**os.environ, "PAPER_READER_DATA_DIR": str(data_dir)},
    )
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "newer" in done.stderr
    assert state.read_bytes() == before, "a newer file must never be overwritten"
