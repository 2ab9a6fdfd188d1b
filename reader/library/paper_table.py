"""The library: every paper ever seen, as rows of ``papers`` in ``library.sqlite3``.

A fetch writes the rows that changed in one transaction, whatever the library's size; a
start reads the newest month for the first frame and the rest month by month, without
the abstracts (:class:`~reader.library.paper_rows.LibraryPaper` reads its own when asked).
A paper is found again by its key, or by its title once its arXiv id is known (a text
dump has no ids), and merged with what the library knew of it.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from reader.model import Paper, StoreError
from reader.library.database import DATABASE_FILE, connect, database_path, describe, ensure_schema
from reader.library.keys import TITLE_PREFIX, key_of, title_key_of
from reader.library.notices import Warnings
from reader.library.paper_docs import merge_papers, paper_from_doc
from reader.library.paper_rows import (
    NEWEST_FIRST,
    SCHEMA_SQL,
    SELECT_LIST,
    UNDATED,
    WRITTEN_COLUMNS,
    AbstractSource,
    LibraryPaper,
    month_of,
    paper_of_row,
    paper_values,
    row_values,
    search_text,
)
from reader.library.saved_lists import SavedLists
from reader.library.storage import DirLock

PART = "papers"
VERSION = 1
_IN_CHUNK = 500  # keys per ``IN (...)``: well under SQLite's limit on bound values
_INSERT = f"INSERT INTO papers ({', '.join(WRITTEN_COLUMNS)}) VALUES ({', '.join('?' * len(WRITTEN_COLUMNS))})"
_UPDATE = f"UPDATE papers SET {', '.join(c + ' = ?' for c in WRITTEN_COLUMNS)} WHERE rowid = ?"
_FULL = f"key, {SELECT_LIST}, abstract"
_INSERT_TEXT = "INSERT INTO papers_text (rowid, title, authors, abstract) VALUES (?, ?, ?, ?)"
_UPDATE_TEXT = "UPDATE papers_text SET title = ?, authors = ?, abstract = ? WHERE rowid = ?"


def _create(conn: sqlite3.Connection) -> None:
    for statement in SCHEMA_SQL:
        conn.execute(statement)


class PaperTable:
    """The library's rows, through one connection guarded by ``lock`` (the library lock,
    which the saved lists share); ``require_open`` raises when the store is not open."""

    def __init__(
        self, data_dir: Path, dirlock: DirLock, lock: threading.RLock, warnings: Warnings,
        saved_lists: SavedLists, require_open: Callable[[], None],
    ) -> None:
        self.path = database_path(data_dir)
        self._data_dir = Path(data_dir)
        self._dirlock = dirlock
        self._lock = lock
        self._warnings = warnings
        self._saved_lists = saved_lists
        self._require_open = require_open
        self._conn: sqlite3.Connection | None = None
        self.abstracts = AbstractSource(self.connect)

    # the database file ------------------------------------------------------------------

    def connect(self) -> sqlite3.Connection:
        """Another connection to the library (search and abstracts keep their own)."""
        return connect(self.path)

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    def open(self) -> None:
        """Open the database, making its tables if new. A damaged file is set aside (said in
        one line) and a fresh one started; one from a newer paper-reader raises
        :class:`StoreError` and is left as it is."""
        with self._lock:
            if self._conn is not None:
                return
            try:
                self._conn = self._open()
            except _Damaged as damaged:
                kept = self._set_aside()
                self._warnings.add(
                    f"{DATABASE_FILE} was damaged ({damaged}); kept as {kept.name}, started a new library"
                )
                self._conn = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            conn = connect(self.path)
            ensure_schema(conn, PART, VERSION, _create)
            conn.execute("SELECT count(*) FROM schema_versions").fetchone()
        except StoreError as exc:
            cause = exc.__cause__
            if isinstance(cause, sqlite3.DatabaseError) and describe(cause) == "the file is damaged":
                raise _Damaged(describe(cause)) from None
            raise
        return conn

    def _set_aside(self) -> Path:
        """Move the damaged file (and its journal) aside under a name that says when."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        for n in range(1, 1000):
            target = self.path.with_name(f"{DATABASE_FILE}.damaged-{stamp}{'' if n == 1 else f'-{n}'}")
            if not target.exists():
                break
        try:
            os.rename(self.path, target)
            wal, shm = (self.path.with_name(DATABASE_FILE + suffix) for suffix in ("-wal", "-shm"))
            if wal.exists():  # its log goes with it; the shared-memory index is rebuilt from it
                os.rename(wal, target.with_name(target.name + "-wal"))
            shm.unlink(missing_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot set aside damaged {DATABASE_FILE}: {exc.strerror or exc}") from None
        return target

    def checkpoint(self) -> None:
        """Move what the log holds into the file, so the next start finds it as this one
        leaves it (the first screen is checked against it); skipped while another reads."""
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
                except sqlite3.Error:
                    pass

    def close(self) -> None:
        """Close this process's connections (the log is moved into the file by the last
        one); a later read opens one again."""
        self.checkpoint()
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
        self.abstracts.close()

    def _db(self) -> sqlite3.Connection:
        self._require_open()
        if self._conn is None:
            self._conn = self._open()
        return self._conn

    # reading ------------------------------------------------------------------------------

    def iter_library(self) -> Iterator[list[Paper]]:
        """The library month by month, newest month first (``undated`` last), each newest
        paper first: a month is found by the index on months, so the first costs the same
        whatever the library's size. The papers are new objects each time."""
        self._require_open()
        month: str | None = "9999-99"
        while month is not None:
            with self._lock:
                conn = self._db()
                try:
                    if month == UNDATED:
                        found = None
                    else:
                        found = conn.execute(
                            "SELECT max(month) FROM papers WHERE month < ? AND month != 'undated'", (month,)
                        ).fetchone()[0]
                        if found is None:
                            found = UNDATED
                    rows = conn.execute(
                        f"SELECT {SELECT_LIST} FROM papers WHERE month = ? ORDER BY {NEWEST_FIRST}", (found,)
                    ).fetchall() if found is not None else []
                except sqlite3.Error as exc:
                    raise StoreError(f"cannot read the library: {describe(exc)}") from None
            month = found
            if rows:
                source = self.abstracts
                yield [paper_of_row(row, source) for row in rows]

    def newest(self, limit: int) -> list[Paper] | None:
        """The first ``limit`` papers of ``iter_library``'s order, read without opening the
        store (read-only, nothing created, each month's rows found by its index and only as
        many read as asked for), for a first frame drawn before the store opens. ``None``
        when there is no library this reader can read as it stands (none yet, empty,
        damaged, another version's tables): the store's own open then says what is wrong."""
        if not self.path.exists():
            return None
        papers: list[Paper] = []
        try:
            conn = connect(self.path, readonly=True)
        except StoreError:
            return None
        try:
            row = conn.execute("SELECT version FROM schema_versions WHERE part = ?", (PART,)).fetchone()
            if row is None or row[0] != VERSION:
                return None
            month = "9999-99"
            while len(papers) < limit:
                found = conn.execute(
                    "SELECT max(month) FROM papers WHERE month < ? AND month != 'undated'", (month,)
                ).fetchone()[0]
                # Within a dated month every paper has a date: the index on (month, published)
                # gives the library's order, and only the rows asked for are read.
                order = "published DESC, title, rowid" if found is not None else NEWEST_FIRST
                rows = conn.execute(
                    f"SELECT {SELECT_LIST} FROM papers WHERE month = ? ORDER BY {order} LIMIT ?",
                    (found or UNDATED, limit - len(papers)),
                ).fetchall()
                papers.extend(paper_of_row(row, self.abstracts) for row in rows)
                if found is None:
                    break
                month = found
        except sqlite3.Error:
            return None
        finally:
            conn.close()
        return papers or None

    def library(self) -> list[Paper]:
        """Every paper in the library, newest first."""
        return [paper for batch in self.iter_library() for paper in batch]

    def count(self) -> int:
        with self._lock:
            return int(self._db().execute("SELECT count(*) FROM papers").fetchone()[0])

    def papers_for(self, keys: Sequence[str], shards: Sequence[str] = ()) -> list[Paper]:
        """The library's papers ``keys``, in order; a title key whose paper got an id since
        finds it by its title, and a key the library lacks is left out (``shards``, where
        older files said the papers were filed, are not needed)."""
        self._require_open()
        found: dict[str, LibraryPaper] = {}
        source = self.abstracts
        with self._lock:
            conn = self._db()
            try:
                unique = list(dict.fromkeys(keys))
                for start in range(0, len(unique), _IN_CHUNK):
                    chunk = unique[start : start + _IN_CHUNK]
                    rows = conn.execute(
                        f"SELECT key, {SELECT_LIST} FROM papers WHERE key IN ({', '.join('?' * len(chunk))})", chunk
                    ).fetchall()
                    for row in rows:
                        found[row[0]] = paper_of_row(row[1:], source)
                for key in unique:
                    if key not in found and key.startswith(TITLE_PREFIX):
                        row = conn.execute(
                            f"SELECT key, {SELECT_LIST} FROM papers WHERE title_key = ? ORDER BY key LIMIT 1", (key,)
                        ).fetchone()
                        if row is not None:
                            found[key] = paper_of_row(row[1:], source)
            except sqlite3.Error as exc:
                raise StoreError(f"cannot read the library: {describe(exc)}") from None
        out: list[Paper] = []
        used: set[int] = set()
        for key in keys:
            paper = found.get(key)
            if paper is not None:
                out.append(_copy(paper) if id(paper) in used else paper)  # one object a row of the list
                used.add(id(paper))
        return out

    # writing ------------------------------------------------------------------------------

    def add_papers(self, papers: list[Paper], listing: str | None = None) -> list[Paper]:
        """Merge papers into the library in one transaction and save the listing; returns
        the merged papers (as library papers: their abstracts stay in the database)."""
        self._require_open()
        with self._lock:
            if self._saved_lists.legacy:
                self._adopt_legacy_locked()
            merged = self.merge(papers)
            if listing is not None:
                with self._dirlock.held():
                    self._save_list(listing, merged)
        return merged

    def merge(self, papers: Iterable[Paper], *, keep_existing: bool = False) -> list[Paper]:
        """Write ``papers`` into the library in one transaction: new ones added, known ones
        merged (``keep_existing``: left as they are). Returns the library's papers."""
        conn = self._db()
        out: list[Paper] = []
        try:
            with self._lock, conn:
                conn.execute("BEGIN IMMEDIATE")
                for paper in papers:
                    out.append(self._merge_one(conn, paper, keep_existing))
        except sqlite3.Error as exc:
            raise StoreError(f"cannot save the library in {self._data_dir}: {describe(exc)}") from None
        return out

    def _merge_one(self, conn: sqlite3.Connection, paper: Paper, keep_existing: bool) -> LibraryPaper:
        found = _find(conn, paper)
        if found is None:
            rowid = int(conn.execute(_INSERT, row_values(paper)).lastrowid or 0)
            conn.execute(_INSERT_TEXT, (rowid, *search_text(paper)))
            return _library_copy(paper, rowid, self.abstracts)
        rowid, old = found
        if keep_existing:
            return _library_copy(old, rowid, self.abstracts)
        new = merge_papers(old, paper)
        if paper_values(new) != paper_values(old) or key_of(new) != key_of(old):
            conn.execute(_UPDATE, (*row_values(new), rowid))
            text = search_text(new)
            if text != search_text(old):
                conn.execute(_UPDATE_TEXT, (*text, rowid))
        return _library_copy(new, rowid, self.abstracts)

    def _save_list(self, name: str, papers: Sequence[Paper]) -> None:
        try:
            self._saved_lists.save(name, [key_of(p) for p in papers], [month_of(p.published) for p in papers])
        except OSError as exc:
            raise StoreError(f"cannot save the list in {self._data_dir}: {exc.strerror or exc}") from None

    def adopt_legacy(self) -> None:
        """Take the papers of saved lists from an old file into the library where it lacks
        them, and save those lists as keys (once, when an old file is found)."""
        self._require_open()
        with self._lock:
            with self._dirlock.held():
                self._saved_lists.merge_from_disk()
            if self._saved_lists.legacy:
                self._adopt_legacy_locked()

    def _adopt_legacy_locked(self) -> None:
        lists: dict[str, tuple[str, tuple[list[str], list[str]]]] = {}
        for name, (at, records) in list(self._saved_lists.legacy.items()):
            papers = [found[2] for found in map(paper_from_doc, records) if found is not None]
            kept = self.merge(papers, keep_existing=True)
            lists[name] = (at, ([key_of(p) for p in kept], [month_of(p.published) for p in kept]))
        with self._dirlock.held():
            try:
                self._saved_lists.save_many(lists)
            except OSError as exc:
                raise StoreError(f"cannot save the lists in {self._data_dir}: {exc.strerror or exc}") from None


class _Damaged(Exception):
    """The database file is not one (or is corrupt)."""


def _find(conn: sqlite3.Connection, paper: Paper) -> tuple[int, LibraryPaper] | None:
    """(rowid, the library's copy) of ``paper``: by its key, else by its title under the
    other kind of key (a title-keyed copy for a paper with an id, the id'd one otherwise)."""
    row = conn.execute(f"SELECT {_FULL} FROM papers WHERE key = ?", (key_of(paper),)).fetchone()
    if row is None:
        rows = conn.execute(f"SELECT {_FULL} FROM papers WHERE title_key = ?", (title_key_of(paper),)).fetchall()
        if paper.arxiv_id:
            rows = [r for r in rows if r[0].startswith(TITLE_PREFIX)]
        rows.sort(key=lambda r: r[0])
        row = rows[0] if rows else None
    if row is None:
        return None
    return row[1], paper_of_row(row[1:-1], None, row[-1])


def _library_copy(paper: Paper, rowid: int, source: AbstractSource) -> LibraryPaper:
    """``paper`` as the library's row ``rowid``: its abstract read from there when asked."""
    copy = LibraryPaper(*_values_without_abstract(paper))
    copy.rowid = rowid
    copy._source = source
    return copy


def _copy(paper: LibraryPaper) -> LibraryPaper:
    return _library_copy(paper, paper.rowid, paper._source)


def _values_without_abstract(paper: Paper) -> list[Any]:
    """The fields in ``Paper``'s order, the abstract left to the database (never read here)."""
    return [
        paper.title, None, paper.arxiv_id, list(paper.authors), paper.author_count, paper.organization,
        paper.published, paper.submitted, paper.upvotes, paper.comments, paper.code_url, paper.project_url,
        paper.github_stars, paper.ai_summary, list(paper.ai_keywords),
    ]
