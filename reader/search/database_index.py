"""Search over the library's papers through its database: nothing to build, nothing held.

The library's ``papers_text`` table keeps every paper's title, authors and abstract
lower-cased (as ``search.field_text`` makes them) under a trigram index: a term of three
characters or more is a phrase of its trigrams (``MATCH``), and a shorter one is looked
for by ``instr`` in every row, both in C. The answer is the definition's: a substring of the lower-cased field.
Words, fields, marks and ``has:code`` then combine as bitsets over list positions, as in
:class:`~reader.search.index.SearchIndex`, whose filtering this reuses; the papers' rows
(``LibraryPaper.rowid``) say where each answer is in the list.

Filters that consult a set of keys (``is:read``, ``is:bookmarked`` from the marks) are
bitsets made from the list in Python; another such filter is one more bitset.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence

from reader.model import Paper
from reader.search import bitset
from reader.search.index import MarkSource, SearchIndex
from reader.search.query import Term

TRIGRAM = 3  # the shortest needle the trigram index finds; shorter ones are scanned in C
_COLUMNS = {None: ("title", "authors", "abstract"), "title": ("title",), "author": ("authors",)}


def is_indexable(papers: Sequence[Paper]) -> bool:
    """Whether every paper is a row of the library (so the database can answer for them)."""
    return bool(papers) and all(getattr(paper, "rowid", None) is not None for paper in papers)


class DatabaseIndex(SearchIndex):
    """The search index of ``papers`` (library papers, each with its ``rowid``) answered by
    the library's database through ``conn``, a connection of its own."""

    def __init__(self, papers: Sequence[Paper], marks: MarkSource, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._lock = threading.Lock()
        self._failed = False
        self._where = {paper.rowid: i for i, paper in enumerate(papers)}  # type: ignore[attr-defined]
        super().__init__(papers, marks, [_DatabasePart(self, len(papers))])

    @classmethod
    def open(
        cls, papers: Sequence[Paper], marks: MarkSource, connect: Callable[[], sqlite3.Connection],
        cancelled: Callable[[], bool] = lambda: False,
    ) -> DatabaseIndex | None:
        """The index over ``papers``, through a new connection; ``None`` when ``cancelled``."""
        if cancelled():
            return None
        return cls(papers, marks, connect())

    def interrupt(self) -> None:
        """Stop a query running now (a newer keystroke made it stale): it answers nothing."""
        self._conn.interrupt()

    def _remember(self, key: tuple[str | None, str, bool], bits: int) -> None:
        if self._failed:
            self._failed = False
            return
        super()._remember(key, bits)

    def _papers_with(self, term: Term) -> int:
        # A phrase is a substring like any other: the trigram index finds it whole.
        return self._containing(term.field, term.text)

    def rows_containing(self, field: str | None, needle: str) -> int:
        """The papers of the list whose ``field`` holds ``needle``, as a bitset."""
        if not needle:
            return self._everyone
        columns = _COLUMNS[field]
        found = " OR ".join(f"instr({c}, ?) > 0" for c in columns)
        args: tuple[str, ...] = (needle,) * len(columns)
        if len(needle) >= TRIGRAM:
            # A phrase of the needle's trigrams, one after the other: the needle itself.
            phrase = '"' + needle.replace('"', '""') + '"'
            query = phrase if field is None else f"{columns[0]} : {phrase}"
            sql, args = "SELECT rowid FROM papers_text WHERE papers_text MATCH ?", (query,)
        else:  # too short for the index: every row's text, scanned in C
            sql = f"SELECT rowid FROM papers_text WHERE {found}"
        with self._lock:
            try:
                rows = self._conn.execute(sql, args).fetchall()
            except sqlite3.OperationalError:
                self._failed = True  # interrupted by a newer keystroke: answer nothing, keep nothing
                return 0
        where = self._where
        flags = bytearray(self._count)
        for (rowid,) in rows:
            position = where.get(rowid)
            if position is not None:
                flags[position] = 1
        return bitset.from_flags(flags)


class _DatabasePart:
    """The one part of a :class:`DatabaseIndex`: the whole list, answered by the database."""

    def __init__(self, index: DatabaseIndex, count: int) -> None:
        self._index = index
        self.count = count

    def containing(self, field: str | None, needle: str) -> int:
        return self._index.rows_containing(field, needle)
