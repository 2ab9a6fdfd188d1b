"""The library's database: one SQLite file, ``library.sqlite3``, in the data dir.

The library outgrew JSON files held whole in memory: at 50,000 papers every abstract and
every token as Python objects costs hundreds of megabytes and seconds to load. SQLite is
in the standard library, keeps what is not on screen on disk, writes a fetch as the rows
that changed, and lets two readers share the file (WAL). Each part of the library owns
its own tables and says which version of them it expects through :func:`ensure_schema`;
marks stay in ``state.json`` (TinyDB).

Every connection is made here so they all behave alike: WAL, a busy timeout so a second
reader waits for a writer instead of failing, and errors turned into one-line
:class:`~reader.model.StoreError` messages.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from reader.library.data_dir import DATABASE_FILE
from reader.model import StoreError

BUSY_TIMEOUT_MS = 5000


def database_path(data_dir: Path) -> Path:
    return Path(data_dir) / DATABASE_FILE


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection to the library's database, made the one way every part uses.

    ``check_same_thread`` is off: a connection may be made on one thread and used by a
    worker, but never by two threads at once (callers hold their own lock or keep one
    connection per thread).
    """
    try:
        if readonly:
            conn = sqlite3.connect(
                f"{Path(path).resolve().as_uri()}?mode=ro", uri=True,
                timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
            )
        else:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {Path(path).name}: {describe(exc)}") from exc
    return conn


def describe(exc: sqlite3.Error) -> str:
    """A database error as the user should read it: what happened, in a few words."""
    text = str(exc).strip() or type(exc).__name__
    lowered = text.lower()
    if "disk is full" in lowered or "database or disk is full" in lowered:
        return "the disk is full"
    if "not a database" in lowered or "malformed" in lowered:
        return "the file is damaged"
    if "locked" in lowered or "busy" in lowered:
        return "another reader is writing it"
    if "readonly" in lowered or "read-only" in lowered:
        return "it cannot be written here"
    return text.splitlines()[0]


def ensure_schema(
    conn: sqlite3.Connection, part: str, version: int, create: Callable[[sqlite3.Connection], None]
) -> int:
    """Make sure ``part``'s tables exist at ``version``; returns the version found before (0: new).

    A part whose stored version is newer than the one this reader knows raises
    :class:`StoreError` rather than guess at a newer layout. ``create`` runs inside the
    transaction that records the version, so a part is never half made.
    """
    try:
        with conn:
            conn.execute("CREATE TABLE IF NOT EXISTS schema_versions (part TEXT PRIMARY KEY, version INTEGER NOT NULL)")
            row = conn.execute("SELECT version FROM schema_versions WHERE part = ?", (part,)).fetchone()
            found = int(row[0]) if row else 0
            if found > version:
                raise StoreError(
                    f"{DATABASE_FILE}: the {part} tables are from a newer paper-reader (version {found}); "
                    "update paper-reader to use them"
                )
            if found < version:
                create(conn)
                conn.execute(
                    "INSERT OR REPLACE INTO schema_versions (part, version) VALUES (?, ?)", (part, version)
                )
    except sqlite3.Error as exc:
        raise StoreError(f"{DATABASE_FILE}: {describe(exc)}") from exc
    return found
