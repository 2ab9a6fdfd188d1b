"""SIGKILL a process that is marking papers, again and again, at random moments.

After every kill each file must load (plain ``json``, TinyDB, and ``Store.open()`` with no
warnings) and every change the process logged more than a second before the kill must be on
disk: the product promises a change is saved within a second and a kill never leaves a file
that fails to load.
"""

from __future__ import annotations

import json
import sqlite3
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tinydb import TinyDB

from reader.library.tinydb_storage import AtomicJSONStorage
from reader.library.store import Store

ROOT = Path(__file__).resolve().parent.parent
WORKER = Path(__file__).resolve().parent / "helpers" / "store_worker.py"
BUDGET = 48.0  # seconds of killing; the whole test stays under a minute
MAX_KILLS = 80
SAVED_WITHIN = 1.0


def load_everything(data: Path) -> tuple[dict[str, dict], set[str], set[str]]:
    """Marks by key, library keys and listing names, read with plain json and with TinyDB."""
    files = [data / "state.json", data / "listings.json"]
    for path in files:
        if path.exists():
            json.loads(path.read_bytes())
            with TinyDB(path, storage=AtomicJSONStorage) as db:
                assert db.table("meta").all() == [{"schema": 1}], path
    marks: dict[str, dict] = {}
    if (data / "state.json").exists():
        marks = {d["key"]: d for d in json.loads((data / "state.json").read_bytes())["marks"].values()}
    library: set[str] = set()
    if (data / "library.sqlite3").exists():
        with sqlite3.connect(data / "library.sqlite3") as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'papers'").fetchone():
                library = {key for (key,) in conn.execute("SELECT key FROM papers")}
    listings: set[str] = set()
    if (data / "listings.json").exists():
        listings = {d["name"] for d in json.loads((data / "listings.json").read_bytes())["listings"].values()}
    return marks, library, listings


def test_sigkill_at_random_moments(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    rng = random.Random(20250318)
    must_marks: dict[tuple[str, str], tuple[float, bool]] = {}
    must_papers: set[str] = set()
    must_listings: set[str] = set()
    kills = late_kills = mid_write = checked_changes = 0
    began = time.monotonic()
    while kills < MAX_KILLS and time.monotonic() - began < BUDGET:
        log = tmp_path / f"run{kills}.log"
        proc = subprocess.Popen(
            [sys.executable, str(WORKER), "kill", str(data), str(log), str(kills + 1)],
            env=env,
            stderr=subprocess.PIPE,
        )
        # Mostly short lives (kills during start-up, open and early writes), some long ones
        # so that changes are older than a second at the kill.
        time.sleep(rng.uniform(0.03, 0.6) if rng.random() < 0.7 else rng.uniform(1.4, 2.2))
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        killed_at = time.time()
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stderr.close()  # type: ignore[union-attr]
        kills += 1

        lines = log.read_text().splitlines() if log.exists() else []
        entries = [json.loads(line) for line in lines if line.endswith("}")]  # not a line cut by the kill
        assert not [e for e in entries if "warnings" in e], entries[:1]
        for e in entries:
            if e["t"] > killed_at - SAVED_WITHIN:
                continue
            if "key" in e:
                slot = (e["key"], e["field"])
                must_marks[slot] = max(must_marks.get(slot, (0.0, False)), (e["ts"], e["value"]))
                checked_changes += 1
            elif "added" in e:
                must_papers.update(e["added"])
                must_listings.add(e["listing"])
        late_kills += any(e["t"] <= killed_at - SAVED_WITHIN for e in entries)

        marks, library, listings = load_everything(data)
        for (key, field), (ts, value) in must_marks.items():
            doc = marks.get(key)
            assert doc is not None, f"kill {kills}: mark {key} lost"
            assert doc[f"{field}_updated_at"] >= ts, f"kill {kills}: {key} {field} change lost"
            if doc[f"{field}_updated_at"] == ts:
                assert doc[field] is value
        assert must_papers <= library, f"kill {kills}: papers lost"
        assert must_listings <= listings, f"kill {kills}: listings lost"

        mid_write += any(data.rglob(".*.tmp"))  # killed while writing a file
        store = Store(data)
        assert store.open() == [], f"kill {kills}"
        assert len(store.library()) == len(library)
        assert store.take_warnings() == []
        store.close()
        assert not [p for p in data.rglob("*") if ".damaged-" in p.name]

    print(f"\n{kills} kills in {time.monotonic() - began:.1f}s; {late_kills} after changes older than "
          f"{SAVED_WITHIN}s; {mid_write} in the middle of a write; {checked_changes} changes and "
          f"{len(must_papers)} papers checked")
    assert kills >= 40
    assert late_kills >= 5 and checked_changes > 100
