"""The library database's one way of connecting: WAL, versions per part, one-line errors."""

from __future__ import annotations

import sqlite3

import pytest

from reader.library.database import connect, database_path, describe, ensure_schema
from reader.model import StoreError


def _create_things(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT)")


def test_connection_uses_wal_and_waits_for_writers(tmp_path):
    conn = connect(database_path(tmp_path))
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_schema_is_made_once_and_remembers_its_version(tmp_path):
    conn = connect(database_path(tmp_path))
    assert ensure_schema(conn, "things", 1, _create_things) == 0
    conn.execute("INSERT INTO things (name) VALUES ('a')")
    conn.commit()
    again = connect(database_path(tmp_path))
    assert ensure_schema(again, "things", 1, _create_things) == 1  # not re-created
    assert again.execute("SELECT name FROM things").fetchall() == [("a",)]


def test_a_newer_schema_is_refused_in_one_line(tmp_path):
    conn = connect(database_path(tmp_path))
    ensure_schema(conn, "things", 3, _create_things)
    with pytest.raises(StoreError) as caught:
        ensure_schema(connect(database_path(tmp_path)), "things", 2, _create_things)
    assert "newer paper-reader" in str(caught.value) and "\n" not in str(caught.value)


def test_a_failed_create_leaves_no_version_behind(tmp_path):
    conn = connect(database_path(tmp_path))

    def broken(c: sqlite3.Connection) -> None:
        c.execute("CREATE TABLE half (x)")
        c.execute("THIS IS NOT SQL")

    with pytest.raises(StoreError):
        ensure_schema(conn, "half", 1, broken)
    assert ensure_schema(conn, "half", 1, lambda c: c.execute("CREATE TABLE IF NOT EXISTS half (x)")) == 0


def test_a_file_that_is_not_a_database_is_one_line(tmp_path):
    path = database_path(tmp_path)
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError) as caught:
        ensure_schema(connect(path), "things", 1, _create_things)
    assert "damaged" in str(caught.value)


def test_errors_read_as_a_few_words():
    assert describe(sqlite3.OperationalError("database or disk is full")) == "the disk is full"
    assert describe(sqlite3.OperationalError("database is locked")) == "another reader is writing it"
    assert describe(sqlite3.DatabaseError("line one\nline two")) == "line one"
