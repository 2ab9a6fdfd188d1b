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

A term under three characters reads every row's text (~0.4 s at 100,000 papers), so such a
query is answered off the event loop (``answers_later``, ``answer``) and stopped when a
newer keystroke makes it stale (``interrupt``); anything else takes a few milliseconds.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Sequence

from reader.model import Paper
from reader.search import bitset
from reader.search.index import MarkSource, SearchIndex
from reader.search.query import Query, Term

TRIGRAM = 3  # the shortest needle the trigram index finds; shorter ones are scanned in C
_COLUMNS = {None: ("title", "authors", "abstract"), "title": ("title",), "author": ("authors",)}
PART_SHARE = 2  # a list under 1/PART_SHARE of the library scans its own rows, not every row
PROGRESS_STEPS = 20_000  # SQLite steps between looks at whether a query answered off the loop is stale


class Interrupted(Exception):
    """A query stopped before it answered: a newer one made it stale."""


def _never() -> bool:
    return False


def is_indexable(papers: Sequence[Paper]) -> bool:
    """Whether every paper is a row of the library (so the database can answer for them)."""
    return bool(papers) and all(getattr(paper, "rowid", None) is not None for paper in papers)


class DatabaseIndex(SearchIndex):
    """The search index of ``papers`` (library papers, each with its ``rowid``) answered by
    the library's database through ``conn``, a connection of its own."""

    def __init__(self, papers: Sequence[Paper], marks: MarkSource, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._lock = threading.Lock()
        self._answering = threading.Lock()  # one query at a time: the term cache is shared
        self._cancelled: Callable[[], bool] = _never
        self._failed = False
        self._where = {paper.rowid: i for i, paper in enumerate(papers)}  # type: ignore[attr-defined]
        self._own_rows: str | None = None  # the list's rows as a JSON array, once a scan needs them
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

    def answers_later(self, query: Query) -> bool:
        """Whether ``query`` scans the rows' text (a term too short for the trigram index,
        not answered before): worth answering off the event loop."""
        return any(
            0 < len(term.text) < TRIGRAM and (term.field, term.text, False) not in self._cache for term in query.terms
        )

    def answer(self, query: Query, cancelled: Callable[[], bool]) -> list[int] | None:
        """``filter(query)`` from any thread; ``None`` when ``cancelled`` said stop first
        (or ``interrupt`` stopped it): a stale query answers nothing and keeps nothing."""
        with self._answering:
            self._cancelled = cancelled
            # Only here: a look costs the interpreter lock, which the event loop may hold.
            self._conn.set_progress_handler(self._is_stale, PROGRESS_STEPS)
            try:
                positions = super().filter(query)
            except Interrupted:
                return None
            finally:
                self._conn.set_progress_handler(None, 0)
                self._cancelled = _never
        return None if cancelled() else positions

    def filter(self, query: Query) -> list[int]:
        with self._answering:
            try:
                return super().filter(query)
            except Interrupted:  # only a query given a ``cancelled`` is stale; this one was not
                return super().filter(query)

    def interrupt(self) -> None:
        """Stop a query running now (a newer keystroke made it stale): it answers nothing.
        One about to start stops at its first steps, as its ``cancelled`` says by then."""
        self._conn.interrupt()

    def _is_stale(self) -> bool:
        return self._cancelled()

    def _statement(self, field: str | None, needle: str) -> tuple[str, tuple[str, ...]]:
        """The SQL that finds the rows whose ``field`` holds ``needle``, and its arguments."""
        columns = _COLUMNS[field]
        if len(needle) >= TRIGRAM:
            # A phrase of the needle's trigrams, one after the other: the needle itself.
            phrase = '"' + needle.replace('"', '""') + '"'
            query = phrase if field is None else f"{columns[0]} : {phrase}"
            return "SELECT rowid FROM papers_text WHERE papers_text MATCH ?", (query,)
        # Too short for the index: every row's text, scanned in C; only the list's own rows
        # when it is a small part of the library (the newest month while the library
        # streams in, a saved list: ~8 ms for 3,500 papers against ~0.4 s for 100,000).
        found = " OR ".join(f"instr({c}, ?) > 0" for c in columns)
        args = (needle,) * len(columns)
        if self._is_part_of_library():
            own = "rowid IN (SELECT value FROM json_each(?))"
            return f"SELECT rowid FROM papers_text WHERE {own} AND ({found})", (self._own_rows or "[]", *args)
        return f"SELECT rowid FROM papers_text WHERE {found}", args

    def _is_part_of_library(self) -> bool:
        """Whether the list is a small part of the library (its rows kept in ``_own_rows``).
        The highest row number bounds the library's size from above, and costs one lookup."""
        if self._own_rows is None:
            highest = self._conn.execute("SELECT max(rowid) FROM papers").fetchone()[0] or 0
            small = self._count * PART_SHARE < highest
            self._own_rows = json.dumps(list(self._where)) if small else ""
        return bool(self._own_rows)

    def _remember(self, key: tuple[str | None, str, bool], bits: int) -> None:
        if self._failed:
            self._failed = False
            return
        super()._remember(key, bits)

    def _papers_with(self, term: Term) -> int:
        # A phrase is a substring like any other: the trigram index finds it whole.
        return self._containing(term.field, term.text)

    def rows_containing(self, field: str | None, needle: str) -> int:
        """The papers of the list whose ``field`` holds ``needle``, as a bitset;
        ``Interrupted`` when the query was stopped before it answered."""
        if not needle:
            return self._everyone
        with self._lock:
            if self._cancelled():
                raise Interrupted
            try:
                sql, args = self._statement(field, needle)
                # One row for the whole answer: a row at a time would take the interpreter
                # lock back per row, waiting each time while another thread holds it.
                (found,) = self._conn.execute(f"SELECT group_concat(rowid) FROM ({sql})", args).fetchone()
            except sqlite3.OperationalError as error:
                if "interrupt" in str(error):
                    raise Interrupted from None
                self._failed = True  # the database could not answer: nothing found, nothing kept
                return 0
        where = self._where
        flags = bytearray(self._count)
        for rowid in map(int, found.split(",")) if found else ():
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
