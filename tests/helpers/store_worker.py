"""A process that changes marks in a real Store, logging each change, for the kill and race tests.

Usage: store_worker.py MODE DATA_DIR LOG SEED [N] [START_AT]
  kill: change marks forever (until killed), adding papers now and then.
  race: make N changes starting at START_AT (epoch), then close the store.
Each log line is JSON, written and flushed after the change returned:
  {"t": when logged, "key", "field", "value", "ts": the mark's updated_at}
  {"t", "added": [keys], "listing": name}
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

from reader.model.paper import Paper
from reader.library.store import Store

POOL = 400


def pool_paper(i: int) -> Paper:
    """Paper ``i`` of the shared pool: every third has no arXiv id (a text-dump entry)."""
    if i % 3 == 0:
        return Paper(title=f"Pool paper number {i} on text dumps", published=f"2024-{i % 12 + 1:02d}-03")
    return Paper(
        title=f"Pool paper number {i}",
        arxiv_id=f"2401.{i:05d}",
        published=f"2024-{i % 12 + 1:02d}-0{i % 9 + 1}",
        authors=[f"Author {i}", "Second Person"],
        abstract="An abstract " * 20,
    )


def new_papers(seed: int, i: int, n: int) -> list[Paper]:
    """Papers no other batch has: half with arXiv ids, one undated."""
    return [
        Paper(
            title=f"Added {seed}-{i} {k}",
            arxiv_id=None if k % 2 else f"25{seed % 100:02d}.{i % 10000:04d}{k}",
            published=None if k == 2 else f"2025-0{k % 3 + 1}-1{k}",
            authors=["Someone Else"],
        )
        for k in range(n)
    ]


def main() -> None:
    mode, data_dir, log_path, seed = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    count = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    start_at = float(sys.argv[6]) if len(sys.argv) > 6 else 0.0
    rng = random.Random(seed)
    log = open(log_path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - lives until killed
    store = Store(data_dir)
    warnings = store.open()
    if warnings:
        log.write(json.dumps({"warnings": warnings}) + "\n")
    while time.time() < start_at:
        time.sleep(0.001)
    own = [Paper(title=f"Own paper {seed} {k}", arxiv_id=f"2403.{seed % 100:02d}{k:03d}") for k in range(50)]
    i = 0
    while mode == "kill" or i < count:
        i += 1
        if i % 40 == 0:
            batch = new_papers(seed, i, 4)
            name = f"day:{seed}-{i}"
            store.add_papers(batch, listing=name)
            log.write(json.dumps({"t": time.time(), "added": [p.key for p in batch], "listing": name}) + "\n")
            continue
        if mode == "race" and i % 25 == 0:
            store.reload_marks()
        if mode == "race" and rng.random() < 0.5:
            paper = own[rng.randrange(len(own))]  # only this process marks these
        else:
            paper = pool_paper(rng.randrange(POOL))  # both processes mark these
        field = rng.choice(["read", "bookmarked"])
        mark = store.toggle_read(paper) if field == "read" else store.toggle_bookmarked(paper)
        value = getattr(mark, field)
        entry = {"t": time.time(), "key": paper.key, "field": field, "value": value, "ts": mark.updated_at}
        log.write(json.dumps(entry) + "\n")
        if i % 150 == 0:
            store.flush()
        time.sleep(rng.random() * 0.003)
    store.close()
    log.write(json.dumps({"done": True}) + "\n")


if __name__ == "__main__":
    main()
