"""The likeness model's tables in the library's database, and how a paper's words are packed.

``similar_terms``: every word seen, with the number of papers holding it (its document
frequency). ``similar_papers``: one row a paper, by key, with a digest of the text it was
read from (a changed abstract is read again), its word counts and the words it was posted
under. ``similar_postings``: the inverted index, each paper's top words with their weights,
clustered by word so a word's papers are one range read. ``similar_meta``: counters.

SQLite holds all of it, so the reader's memory does not grow with the library; a
question reads only the postings of a few dozen words.
"""

from __future__ import annotations

import sqlite3
import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

PART = "similar"
VERSION = 1
CHUNK = 500  # parameters per IN (...) list, well under SQLite's limit
MAX_COUNT = 255

T = TypeVar("T")


def create(conn: sqlite3.Connection) -> None:
    """The tables, made once by ``ensure_schema``."""
    conn.execute("CREATE TABLE IF NOT EXISTS similar_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)")
    conn.execute("CREATE TABLE IF NOT EXISTS similar_terms (id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE, df INTEGER NOT NULL)")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS similar_papers (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, "
        "digest BLOB NOT NULL, counts BLOB NOT NULL, posted BLOB NOT NULL DEFAULT x'')"
    )
    conn.execute(
        "CREATE TABLE IF NOT EXISTS similar_postings (term INTEGER NOT NULL, paper INTEGER NOT NULL, weight REAL NOT NULL, "
        "PRIMARY KEY (term, paper)) WITHOUT ROWID"
    )


def get_meta(conn: sqlite3.Connection, name: str) -> int:
    row = conn.execute("SELECT value FROM similar_meta WHERE name = ?", (name,)).fetchone()
    return int(row[0]) if row else 0


def set_meta(conn: sqlite3.Connection, name: str, value: int) -> None:
    conn.execute("INSERT OR REPLACE INTO similar_meta (name, value) VALUES (?, ?)", (name, value))


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def marks(count: int) -> str:
    """``?,?,?`` for an IN list of ``count`` values."""
    return ",".join("?" * count)


# packing ---------------------------------------------------------------------------------
# Little-endian whatever the machine, so a database copied elsewhere reads the same.


def _ids(values: Iterable[int]) -> array:
    packed = array("I", values)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed


def _unpack_ids(blob: bytes) -> array:
    ids = array("I")
    ids.frombytes(blob)
    if sys.byteorder == "big":
        ids.byteswap()
    return ids


def pack_counts(counts: dict[int, int]) -> bytes:
    """Word ids and their counts (capped at 255): five bytes a word."""
    ids = list(counts)
    values = list(counts.values())
    try:
        tallies = bytes(values)
    except ValueError:  # a word more than 255 times
        tallies = bytes(min(MAX_COUNT, value) for value in values)
    return _ids(ids).tobytes() + tallies


def unpack_counts(blob: bytes) -> tuple[array, bytes]:
    """(word ids, their counts) of :func:`pack_counts`."""
    size = len(blob) // 5
    return _unpack_ids(blob[: 4 * size]), blob[4 * size :]


def pack_ids(ids: Iterable[int]) -> bytes:
    return _ids(ids).tobytes()


def unpack_ids(blob: bytes) -> array:
    return _unpack_ids(blob)
