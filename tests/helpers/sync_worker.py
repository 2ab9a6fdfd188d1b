"""One machine's reader changing marks with a sync folder, for the sync tests.

Usage: sync_worker.py DATA_DIR SYNC_FOLDER CHANGE...
  CHANGE is ``N:field=value``: paper N of the shared set, ``read`` or ``bookmarked``,
  ``1`` or ``0``. The papers are added to the library first, so ``export`` lists them.
Each change is a separate set, in order, so a later one on the same field is newer.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from reader.library.store import Store
from reader.model.paper import Paper


def shared_paper(n: int) -> Paper:
    return Paper(title=f"Shared paper {n}", arxiv_id=f"2503.{n:05d}", published="2025-03-18")


def main(data_dir: str, folder: str, *changes: str) -> int:
    store = Store(Path(data_dir), sync_folder=Path(folder))
    for warning in store.open():
        print(warning, file=sys.stderr)
    try:
        store.add_papers([shared_paper(n) for n in range(1, 7)])
        for change in changes:
            n, assignment = change.split(":")
            field, value = assignment.split("=")
            paper = shared_paper(int(n))
            setter = store.set_read if field == "read" else store.set_bookmarked
            setter(paper, value == "1")
            time.sleep(0.002)  # a later change has a later time, however coarse the clock
    finally:
        store.close()
    for warning in store.take_warnings():
        print(warning, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
