"""Two readers on one data dir at once: every mark either makes survives, nobody crashes."""

from __future__ import annotations

import json
import sqlite3
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from reader.model.paper import Paper
from reader.library.store import Store

ROOT = Path(__file__).resolve().parent.parent
WORKER = Path(__file__).resolve().parent / "helpers" / "store_worker.py"


def read_log(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def expected_marks(entries: list[dict]) -> dict[tuple[str, str], tuple[float, bool]]:
    """Per paper and field, the change with the latest stamp: the one that must win."""
    out: dict[tuple[str, str], tuple[float, bool]] = {}
    for e in entries:
        if "key" in e:
            slot = (e["key"], e["field"])
            out[slot] = max(out.get(slot, (0.0, False)), (e["ts"], e["value"]))
    return out


def test_two_processes_marking_at_once(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start_at = time.time() + 1.5  # both past start-up before either begins
    logs = [tmp_path / f"worker{n}.log" for n in (1, 2)]
    data = tmp_path / "data"
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), "race", str(data), str(log), str(seed), "600", str(start_at)],
            env=env,
            stderr=subprocess.PIPE,
        )
        for seed, log in zip((11, 22), logs)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    entries = [e for log in logs for e in read_log(log)]
    assert not [e for e in entries if "warnings" in e]
    assert sum(1 for e in entries if "done" in e) == 2
    changes = [e for e in entries if "key" in e]
    first, second = ({e["key"] for e in read_log(log) if "key" in e} for log in logs)
    shared = first & second
    assert len(shared) > 50  # the same papers were marked by both, at different times

    state = json.loads((data / "state.json").read_text())
    docs = {d["key"]: d for d in state["marks"].values()}
    for (key, field), (ts, value) in expected_marks(changes).items():
        doc = docs[key]
        assert doc[f"{field}_updated_at"] == ts, (key, field)
        assert doc[field] is value, (key, field)

    # Library: both added papers at once; all are there, each exactly once.
    added = {k for e in entries if "added" in e for k in e["added"]}
    with sqlite3.connect(data / "library.sqlite3") as conn:
        on_disk: list[str] = [key for (key,) in conn.execute("SELECT key FROM papers")]
    assert len(on_disk) == len(set(on_disk))
    assert added <= set(on_disk)
    listings = {d["name"] for d in json.loads((data / "listings.json").read_text())["listings"].values()}
    assert {e["listing"] for e in entries if "listing" in e} <= listings

    s = Store(data)
    assert s.open() == []
    for (key, field), (_, value) in expected_marks(changes).items():
        assert getattr(s.mark(paper_for(key)), field) is value
    s.close()


def paper_for(key: str) -> Paper:
    """A paper whose key is ``key`` (a normalised title normalises to itself)."""
    if key.startswith("arxiv:"):
        return Paper(title="any", arxiv_id=key.removeprefix("arxiv:"))
    return Paper(title=key.removeprefix("title:"))


def test_threads_marking_while_the_writer_writes(tmp_path: Path) -> None:
    s = Store(tmp_path)
    assert s.open() == []
    papers = [Paper(title=f"Thread paper {n}", arxiv_id=f"2409.{n:05d}") for n in range(300)]
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for n in range(offset, 300, 4):
                s.set_read(papers[n], True)
                s.set_bookmarked(papers[n], n % 2 == 0)
                if n % 37 == 0:
                    s.flush()
                    s.add_papers([papers[n]])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    s.close()
    assert not errors
    again = Store(tmp_path)
    assert again.open() == []
    assert again.counts(papers) == (0, 150)
    again.close()
