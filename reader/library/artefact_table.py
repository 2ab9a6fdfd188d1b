"""The Hub's answers about papers' artefacts, kept in the library's database.

One row a paper that was looked up: when, whether Hugging Face knew it (a 404 is kept
too, so it is not asked again every time the paper is highlighted), the three totals and
the preview. The totals of every known paper are held in memory (one small tuple a
looked-up paper, a few hundred in a year of reading), so list rows and ``has:model``
ask no query; the previews are read from disk for the highlighted paper alone.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from typing import TYPE_CHECKING, NamedTuple

from reader.library.database import connect, database_path, describe, ensure_schema
from reader.model import ParseError, StoreError

if TYPE_CHECKING:
    from reader.sources import Artefacts

PART = "artefacts"
VERSION = 1
MAX_AGE = 24 * 3600.0
"""Seconds a kept answer stays fresh; an older one is shown and asked for again."""


def create(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS artefacts (arxiv_id TEXT PRIMARY KEY, fetched_at REAL NOT NULL, "
        "found INTEGER NOT NULL, models INTEGER NOT NULL, datasets INTEGER NOT NULL, "
        "spaces INTEGER NOT NULL, preview TEXT NOT NULL) WITHOUT ROWID"
    )


class KeptArtefacts(NamedTuple):
    """A kept answer: the artefacts, or ``None`` when Hugging Face had not indexed the paper."""

    fetched_at: float
    artefacts: Artefacts | None

    def is_stale(self, now: float | None = None) -> bool:
        return (now if now is not None else time.time()) - self.fetched_at > MAX_AGE


class ArtefactTable:
    """The ``artefacts`` table, through a connection of its own used under one lock (the
    fetching worker writes, the screen reads). Nothing is read or written before the store
    is open (``usable``): the database may not be checked yet."""

    def __init__(self, data_dir: Path, usable: Callable[[], bool]) -> None:
        self.path = database_path(data_dir)
        self._usable = usable
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._totals: dict[str, tuple[int, int, int]] | None = None
        self.version = 0
        """Bumped by every answer kept, so what was worked out from the totals can be kept."""

    def get(self, arxiv_id: str) -> KeptArtefacts | None:
        """The kept answer for ``arxiv_id``; ``None`` when never looked up (or its copy is damaged)."""
        with self._lock:
            conn = self._connection()
            if conn is None:
                return None
            try:
                row = conn.execute(
                    "SELECT fetched_at, found, preview FROM artefacts WHERE arxiv_id = ?", (arxiv_id,)
                ).fetchone()
            except sqlite3.Error as exc:
                raise StoreError(f"cannot read the kept artefacts: {describe(exc)}") from None
        if row is None:
            return None
        from reader.sources import artefacts_from_json

        fetched_at, found, preview = row
        if not found:
            return KeptArtefacts(float(fetched_at), None)
        try:
            return KeptArtefacts(float(fetched_at), artefacts_from_json(preview))
        except (ParseError, TypeError, ValueError):
            return None

    def put(self, arxiv_id: str, artefacts: Artefacts | None, fetched_at: float | None = None) -> KeptArtefacts:
        """Keep Hugging Face's answer (``None``: not indexed) for ``arxiv_id``."""
        kept = KeptArtefacts(fetched_at if fetched_at is not None else time.time(), artefacts)
        counts = artefacts.counts if artefacts is not None else (0, 0, 0)
        preview = artefacts.to_json() if artefacts is not None else ""
        with self._lock:
            conn = self._connection()
            if conn is None:
                raise StoreError("the library is not open")
            try:
                with conn:
                    conn.execute(
                        "INSERT OR REPLACE INTO artefacts VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (arxiv_id, kept.fetched_at, artefacts is not None, *counts, preview),
                    )
            except sqlite3.Error as exc:
                raise StoreError(f"cannot keep the artefacts: {describe(exc)}") from None
            if self._totals is not None:
                if artefacts is not None and artefacts.any:
                    self._totals[arxiv_id] = counts
                else:
                    self._totals.pop(arxiv_id, None)
            self.version += 1
        return kept

    def totals(self, arxiv_id: str | None) -> tuple[int, int, int] | None:
        """(models, datasets, Spaces) of a paper known to have any; ``None`` otherwise."""
        if not arxiv_id:
            return None
        return self._all_totals().get(arxiv_id)

    def having(self, kind: str) -> frozenset[str]:
        """The arXiv ids of the papers known to have at least one ``kind`` of artefact."""
        from reader.sources import KINDS

        place = KINDS.index(kind)
        return frozenset(key for key, counts in self._all_totals().items() if counts[place])

    def _all_totals(self) -> dict[str, tuple[int, int, int]]:
        totals = self._totals
        if totals is not None:
            return totals
        with self._lock:
            try:
                conn = self._connection()
                if conn is None:
                    return {}  # not open yet: asked again once it is
                rows = conn.execute(
                    "SELECT arxiv_id, models, datasets, spaces FROM artefacts "
                    "WHERE found AND (models > 0 OR datasets > 0 OR spaces > 0)"
                ).fetchall()
            except (StoreError, sqlite3.Error):
                rows = []  # unreadable: the rows show no mark this session (a lookup says why)
            self._totals = {key: (int(m), int(d), int(s)) for key, m, d, s in rows}
            return self._totals

    def _connection(self) -> sqlite3.Connection | None:
        if self._conn is None:
            if not self._usable():
                return None
            conn = connect(self.path)
            try:
                ensure_schema(conn, PART, VERSION, create)
            except StoreError:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
