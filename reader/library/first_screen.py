"""The library's first screenful, kept from the last session so the next start paints at once.

Before a row can be drawn, opening the store parses every mark (10,000 marks: ~90 ms) and
the newest month of the library (~30 ms). At exit the reader saves the newest papers with
their marks and the fingerprints of the files they came from; at the next start, when
those files are unchanged, the list is painted from this small file and the store opens
right after the first frame. It is a cache, never a source of truth: a changed file or an
unreadable snapshot is not used, and nothing is ever written from it.

Without a true snapshot (none saved yet, a kill, marks another reader changed since)
the first screen is the database's newest rows (``newest_first_screen``): read by index, it
costs the same whatever the library's size, and its marks are pending until the store has
read them, so no row claims to be read or unread before anyone knows. Only when the
database cannot be read as it is (none yet, empty, damaged, newer) does the store open
before the first frame, and say what it found.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.model import Paper
from reader.library.mark_records import MARKS_PENDING, UNMARKED, Mark, Tally
from reader.library.paper_docs import paper_from_doc
from reader.library.storage import atomic_write, load_json
from reader.library.store import Store

FILE_NAME = "first-screen.json"
SCHEMA = 1
FIRST_SCREEN_ROWS = 200  # more rows than the tallest terminal shows


@dataclass(slots=True)
class FirstScreen:
    """The newest papers of the library, newest first, with their marks by ``id(paper)``;
    with ``marks_pending`` the marks are not known yet and every paper's is ``MARKS_PENDING``."""

    papers: list[Paper]
    marks: dict[int, Mark]
    marks_pending: bool = False

    def mark(self, paper: Paper) -> Mark:
        if self.marks_pending:
            return MARKS_PENDING
        return self.marks.get(id(paper), UNMARKED)

    def tally(self, papers: Sequence[Paper]) -> Tally:
        """The unread, bookmarked and new papers among ``papers``, as ``Store.tally`` counts
        them (none of any while the marks are pending: the header says they are being read)."""
        marks = [self.mark(paper) for paper in papers]
        unread = sum(not (mark.read or mark.pending) for mark in marks)
        return Tally(unread, sum(mark.bookmarked for mark in marks), sum(mark.new for mark in marks), -1)


def _path(store: Store) -> Path:
    return store.data_dir / FILE_NAME


def save_first_screen(store: Store) -> None:
    """Keep the library's newest papers and their marks (call once the marks are written).

    Nothing is kept when the files change while it is taken: the next start then opens
    the store as usual.
    """
    store.papers.checkpoint()  # the log moved into the file now, not by the close after this
    if _read(store)[0] is not None:
        return  # nothing changed on disk since it was saved: it is still true
    before = store.files_fingerprint()
    papers: list[Paper] = []
    for chunk in store.iter_library():
        papers.extend(chunk[: FIRST_SCREEN_ROWS - len(papers)])
        if len(papers) >= FIRST_SCREEN_ROWS:
            break
    marks = [store.mark(paper) for paper in papers]
    if store.files_fingerprint() != before:
        return
    payload = {
        "schema": SCHEMA,
        "files": before,
        "papers": [paper.to_record() for paper in papers],
        "marks": [[m.read, m.bookmarked, m.read_at, m.bookmarked_at, m.updated_at] for m in marks],
    }
    atomic_write(_path(store), json.dumps(payload, ensure_ascii=False).encode())


def load_first_screen(store: Store) -> FirstScreen | None:
    """The saved first screen when the files it came from are unchanged, else ``None``.

    A snapshot that is not one (bad JSON, a field of the wrong type) is said in one line
    among the store's warnings; the ordinary start then rebuilds it at exit.
    """
    first, problem = _read(store)
    if problem is not None:
        store.warn(f"{FILE_NAME} was not usable ({problem}); started without it")
    return first


def newest_first_screen(store: Store) -> FirstScreen | None:
    """The library's newest papers straight from its database, their marks pending; ``None``
    when the database cannot be read as it is (none yet, empty, damaged, newer): the
    ordinary start then opens the store and says so. Older readers' month files, not yet
    moved into the database, mean the ordinary start too."""
    if store.library_dir.exists():
        return None
    papers = store.papers.newest(FIRST_SCREEN_ROWS)
    return FirstScreen(papers, {}, marks_pending=True) if papers else None


def _read(store: Store) -> tuple[FirstScreen | None, str | None]:
    """(the first screen or ``None``, what is wrong with the file when it is damaged)."""
    try:
        raw = load_json(_path(store).read_bytes())
    except FileNotFoundError:
        return None, None
    except (OSError, ValueError) as exc:
        return None, str(getattr(exc, "strerror", None) or exc)[:120]
    if not isinstance(raw, dict):
        return None, "not a JSON object"
    if raw.get("schema") != SCHEMA or raw.get("files") != store.files_fingerprint():
        return None, None  # another version's, or stale: not damaged
    try:
        return _first_screen(raw["papers"], raw["marks"]), None
    except (ValueError, TypeError, KeyError) as exc:
        return None, str(exc)[:120]


def _first_screen(docs: Any, rows: Any) -> FirstScreen | None:
    """The papers and marks of a snapshot; raises ``ValueError`` on a bad record."""
    if not (isinstance(docs, list) and isinstance(rows, list) and len(docs) == len(rows)):
        raise ValueError("papers and marks do not match")
    papers: list[Paper] = []
    marks: dict[int, Mark] = {}
    for doc, row in zip(docs, rows):
        found = paper_from_doc(doc) if isinstance(doc, dict) else None
        if found is None:
            raise ValueError("a paper of the wrong shape")
        if not (isinstance(row, list) and len(row) == 5):
            raise ValueError("a mark of the wrong shape")
        read, bookmarked, read_at, bookmarked_at, updated_at = row
        if not (isinstance(read, bool) and isinstance(bookmarked, bool)):
            raise ValueError("a mark of the wrong shape")
        if not all(at is None or (isinstance(at, str) and len(at) <= 40 and at.isprintable())
                   for at in (read_at, bookmarked_at)):
            raise ValueError("a mark time of the wrong shape")
        if type(updated_at) not in (int, float) or not math.isfinite(updated_at):
            raise ValueError("a mark time of the wrong shape")
        paper = found[2]
        papers.append(paper)
        # Not shown as new until the store says so: the marks of newness are not kept here.
        marks[id(paper)] = Mark(read, bookmarked, read_at, bookmarked_at, float(updated_at), new=False)
    return FirstScreen(papers, marks) if papers else None
