"""Marks as stored and as kept in memory: the records, their merge, and the book of them.

The book indexes the records by key and by title, so a mark made on a paper known only by
its title (a text dump) follows the paper once its arXiv id is known.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from reader.model import Paper
from reader.library.keys import TITLE_PREFIX, key_of, title_key_of


@dataclass(slots=True)
class Mark:
    """A paper's state as the UI shows it; ``updated_at`` is 0.0 for a paper never marked.

    ``seen_ts`` is when the paper's row was first on screen in a list (0.0: never), which
    ends its newness; ``new`` is whether it was new when this visit began (so it keeps
    showing as new for the rest of the visit, see ``Marks``). ``pending``: the marks are
    still being read, so the paper is shown as neither read nor unread (``MARKS_PENDING``).
    """

    read: bool
    bookmarked: bool
    read_at: str | None
    bookmarked_at: str | None
    updated_at: float
    seen_ts: float = 0.0
    new: bool = True
    pending: bool = False


class Tally(NamedTuple):
    """A list's unread, bookmarked and new papers, and the marks' version they are right
    for (-1: marks changed while they were counted, so they may not be)."""

    unread: int
    bookmarked: int
    new: int
    version: int


UNMARKED = Mark(False, False, None, None, 0.0)
MARKS_PENDING = Mark(False, False, None, None, 0.0, new=False, pending=True)


@dataclass(frozen=True, slots=True)
class MarkRecord:
    """One stored mark. Read and bookmark each carry their own change time, so a read made in
    one process and a bookmark made in another on the same paper both survive a merge."""

    key: str
    title_key: str
    read: bool = False
    read_at: str | None = None
    read_ts: float = 0.0
    bookmarked: bool = False
    bookmarked_at: str | None = None
    bookmarked_ts: float = 0.0
    seen_ts: float = 0.0

    @property
    def updated_at(self) -> float:
        return max(self.read_ts, self.bookmarked_ts)

    def mark(self) -> Mark:
        return Mark(self.read, self.bookmarked, self.read_at, self.bookmarked_at, self.updated_at, self.seen_ts)

    def merged(self, other: MarkRecord) -> MarkRecord:
        """Last writer wins, field by field; ties break on the value so every process agrees."""
        mine = (self.read_ts, self.read, self.read_at or "")
        theirs = (other.read_ts, other.read, other.read_at or "")
        read = self if mine >= theirs else other
        mine = (self.bookmarked_ts, self.bookmarked, self.bookmarked_at or "")
        theirs = (other.bookmarked_ts, other.bookmarked, other.bookmarked_at or "")
        bm = self if mine >= theirs else other
        # Seen once is seen: the first sighting anywhere ends the paper's newness.
        seen = min((ts for ts in (self.seen_ts, other.seen_ts) if ts), default=0.0)
        if read is self and bm is self and seen == self.seen_ts:
            return self
        return replace(
            self,
            title_key=self.title_key or other.title_key,
            read=read.read,
            read_at=read.read_at,
            read_ts=read.read_ts,
            bookmarked=bm.bookmarked,
            bookmarked_at=bm.bookmarked_at,
            bookmarked_ts=bm.bookmarked_ts,
            seen_ts=seen,
        )

    def to_doc(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title_key": self.title_key,
            "read": self.read,
            "bookmarked": self.bookmarked,
            "read_at": self.read_at,
            "bookmarked_at": self.bookmarked_at,
            "updated_at": self.updated_at,
            "read_updated_at": self.read_ts,
            "bookmarked_updated_at": self.bookmarked_ts,
            "seen_at": self.seen_ts,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> MarkRecord | None:
        """``None`` for a doc that is not a mark; per-field times default to ``updated_at``."""
        key, title_key = doc.get("key"), doc.get("title_key")
        read, bookmarked = doc.get("read", False), doc.get("bookmarked", False)
        updated = doc.get("updated_at", 0.0)
        read_ts = doc.get("read_updated_at", updated)
        bm_ts = doc.get("bookmarked_updated_at", updated)
        read_at, bm_at = doc.get("read_at"), doc.get("bookmarked_at")
        seen_ts = doc.get("seen_at", 0.0)
        # Plain checks, no generators: opening 10,000 marks runs this 10,000 times.
        if not (isinstance(key, str) and key and isinstance(read, bool) and isinstance(bookmarked, bool)):
            return None
        if not (_is_number(read_ts) and _is_number(bm_ts)):
            return None
        if not _is_number(seen_ts):
            seen_ts = 0.0
        if not (_is_time_text(read_at) and _is_time_text(bm_at)):
            return None
        if not isinstance(title_key, str):
            title_key = key if key.startswith(TITLE_PREFIX) else ""
        return cls(key, title_key, read, read_at, float(read_ts), bookmarked, bm_at, float(bm_ts), float(seen_ts))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_time_text(value: Any) -> bool:
    """``None`` or a short printable timestamp: it is exported and shown as it is."""
    return value is None or (isinstance(value, str) and len(value) <= 40 and value.isprintable())


class MarkBook:
    """Marks in memory: by key, and by title so a title-keyed mark finds its arXiv paper.

    Kept normalised: a title-keyed mark never sits beside an id-keyed mark of the same title;
    it is folded into it. Callers hold the marks' memory lock.
    """

    def __init__(self) -> None:
        self.recs: dict[str, MarkRecord] = {}
        self.by_title: dict[str, set[str]] = {}
        self.titled = 0  # marks keyed by title: while there are none, no title is normalised

    def put(self, rec: MarkRecord) -> None:
        old = self.recs.get(rec.key)
        if old is not None and old.title_key != rec.title_key:
            self._unindex(old)
        if old is None and rec.key.startswith(TITLE_PREFIX):
            self.titled += 1
        self.recs[rec.key] = rec
        if rec.title_key:
            self.by_title.setdefault(rec.title_key, set()).add(rec.key)

    def drop(self, key: str) -> None:
        rec = self.recs.pop(key, None)
        if rec is not None:
            self._unindex(rec)
            if key.startswith(TITLE_PREFIX):
                self.titled -= 1

    def _unindex(self, rec: MarkRecord) -> None:
        keys = self.by_title.get(rec.title_key)
        if keys is not None:
            keys.discard(rec.key)
            if not keys:
                del self.by_title[rec.title_key]

    def find(self, paper: Paper) -> tuple[MarkRecord | None, bool]:
        """The paper's mark and whether finding it re-keyed a title mark to the paper's id."""
        rec = self.recs.get(key_of(paper))
        if rec is not None:
            return rec, False
        if paper.arxiv_id and not self.titled:
            return None, False  # only a title-keyed mark could be this paper's
        keys = self.by_title.get(title_key_of(paper))
        if not keys:
            return None, False
        if not paper.arxiv_id:
            return self.recs[min(keys)], False
        titled = [k for k in keys if k.startswith(TITLE_PREFIX)]
        if not titled:
            return None, False  # marks of other papers that share this title
        rec = replace(self.recs[titled[0]], key=key_of(paper))
        for key in titled:
            rec = rec.merged(self.recs[key])
            self.drop(key)
        self.put(rec)
        return rec, True

    def absorb(self, incoming: Iterable[MarkRecord]) -> set[str]:
        """Merge marks read from disk; returns the keys whose state changed."""
        changed: set[str] = set()
        titles: set[str] = set()
        for rec in incoming:
            cur = self.recs.get(rec.key)
            new = rec if cur is None else cur.merged(rec)
            if new is not cur:
                self.put(new)
                changed.add(new.key)
                titles.add(new.title_key)
        for title in titles:
            changed |= self._fold(title)
        return changed

    def _fold(self, title: str) -> set[str]:
        keys = self.by_title.get(title, set())
        if len(keys) < 2:
            return set()  # one mark alone has nothing to fold into
        ids = sorted(k for k in keys if not k.startswith(TITLE_PREFIX))
        titled = [k for k in keys if k.startswith(TITLE_PREFIX)]
        if not ids or not titled:
            return set()
        rec = self.recs[ids[0]]
        for key in titled:
            rec = rec.merged(replace(self.recs[key], key=rec.key))
            self.drop(key)
        self.put(rec)
        return {ids[0], *titled}

