"""Teaching the likeness model the library's papers, a batch at a time, off the event loop.

A paper is read once: its word counts are kept with a digest of its title and abstract,
so a later session reads only papers that are new or whose text changed, and forgets
papers the library no longer has (when it was shown the whole library).

The weights in the postings use the document frequencies of the moment they were
written. New papers shift those frequencies (a word's idf drifts as the library grows),
so a paper added later is weighed against a slightly different library than an old one.
That drift is small while the library grows by a fraction of itself, so all papers are
weighed again, from their kept counts and without reading any text, only once the
library has grown by ``REWEIGH_GROWTH`` since they last were: each paper is re-weighed a
bounded number of times however the library grows. Questions always weigh their own
words with the current frequencies. Likewise a word that was one paper's alone when it
was posted (so stood for nothing) joins that paper's postings at the next weighing; a
paper sharing it that comes later is found through their other shared words meanwhile,
and from the older paper's side through that word too.

Every batch is its own short transaction: the database is shared with the rest of the
library, whose writers must never wait long behind this one.
"""

from __future__ import annotations

import hashlib
import sqlite3
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice

from reader.similar.tables import (
    chunks, get_meta, marks, pack_counts, pack_ids, set_meta, unpack_counts, unpack_ids,
)
from reader.similar.terms import term_counts
from reader.similar.weights import idf_table, weigh, weigh_by_idf

Text = tuple[str, str, str]
"""(key, title, abstract): what the model learns a paper from."""

BATCH = 500  # papers a transaction
REWEIGH_GROWTH = 0.25  # weigh every paper again once the library grew by this share
DIGEST_SIZE = 12


def digest_of(title: str, abstract: str) -> bytes:
    return hashlib.blake2b(f"{title}\x00{abstract}".encode("utf-8", "surrogatepass"),
                           digest_size=DIGEST_SIZE).digest()


@contextmanager
def writing(conn: sqlite3.Connection) -> Iterator[None]:
    """A transaction that takes the write lock at its start (waiting for other writers up to
    the busy timeout), so a read inside it is never overtaken by another writer's commit."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.rollback()
        raise
    conn.commit()


def paper_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM similar_papers").fetchone()[0])


class Learner:
    """Writes what the model knows. One at a time: it runs in one worker thread with its
    own connection. ``read`` counts the papers looked at in the current pass."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.read = 0

    def learn(self, texts: Iterable[Text], *, complete: bool, cancelled: Callable[[], bool] = lambda: False) -> bool:
        """Take in ``texts``; ``complete``: they are the whole library, so papers not among
        them are forgotten. False when ``cancelled`` stopped it (what was read is kept)."""
        conn = self.conn
        self.read = 0
        if complete:
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS similar_seen (key TEXT PRIMARY KEY)")
            conn.execute("DELETE FROM similar_seen")
            conn.commit()
        source = iter(texts)
        while batch := list(islice(source, BATCH)):
            if cancelled():
                return False
            self._take(batch, complete)
            self.read += len(batch)
        if cancelled():
            return False
        if complete:
            self._forget_unseen()
        if not get_meta(conn, "built") or self._reweigh_due():
            return self.reweigh(cancelled)
        return True

    def _reweigh_due(self) -> bool:
        weighed = get_meta(self.conn, "weighed_at")
        return paper_count(self.conn) > weighed * (1 + REWEIGH_GROWTH)

    # one batch -----------------------------------------------------------------------------

    def _take(self, batch: list[Text], complete: bool) -> None:
        """Read the batch's new and changed papers. Their words are counted before the
        write lock is taken, and what the model holds is looked at again under it, since
        another reader may have learned the same papers meanwhile."""
        conn = self.conn
        wanted = {key: (title, abstract) for key, title, abstract in batch}
        known = self._known(list(wanted))
        counted: dict[str, tuple[bytes, Counter[str]]] = {}
        for key, (title, abstract) in wanted.items():
            digest = digest_of(title, abstract)
            old = known.get(key)
            if old is None or old[1] != digest:
                counted[key] = (digest, term_counts(title, abstract))
        if complete:  # the seen keys are this connection's own (a temp table): no lock needed
            conn.executemany("INSERT OR IGNORE INTO similar_seen (key) VALUES (?)", ((k,) for k in wanted))
            conn.commit()
        if not counted:
            return
        with writing(conn):
            known = self._known(list(counted))
            fresh: list[tuple[str, bytes, Counter[str]]] = []
            for key, (digest, counts) in counted.items():
                old = known.get(key)
                if old is not None and old[1] == digest:
                    continue
                if old is not None:
                    self._unpost(old[0], old[2], old[3])
                fresh.append((key, digest, counts))
            if fresh:
                self._add(fresh, {key: known[key][0] for key, _, _ in fresh if key in known})

    def _known(self, keys: list[str]) -> dict[str, tuple[int, bytes, bytes, bytes]]:
        """(id, digest, counts, posted) of the papers of ``keys`` the model holds."""
        known: dict[str, tuple[int, bytes, bytes, bytes]] = {}
        for part in chunks(keys):
            for key, row_id, digest, counts, posted in self.conn.execute(
                f"SELECT key, id, digest, counts, posted FROM similar_papers WHERE key IN ({marks(len(part))})", part
            ):
                known[key] = (row_id, digest, counts, posted)
        return known

    def _add(self, fresh: list[tuple[str, bytes, Counter[str]]], row_ids: dict[str, int]) -> None:
        """Count the papers' words into the library's frequencies and keep their counts;
        post them at once unless a weighing of the whole library is due anyway."""
        conn = self.conn
        holding: Counter[str] = Counter()
        for _, _, counts in fresh:
            holding.update(counts.keys())
        conn.executemany(
            "INSERT INTO similar_terms (term, df) VALUES (?, ?) ON CONFLICT (term) DO UPDATE SET df = df + excluded.df",
            holding.items(),
        )
        ids: dict[str, int] = {}
        dfs: dict[int, int] = {}
        for part in chunks(list(holding)):
            for term, term_id, df in conn.execute(
                f"SELECT term, id, df FROM similar_terms WHERE term IN ({marks(len(part))})", part
            ):
                ids[term] = term_id
                dfs[term_id] = df
        rows: list[tuple[int, dict[int, int]]] = []
        for key, digest, counts in fresh:
            by_id = {ids[term]: count for term, count in counts.items()}
            blob = pack_counts(by_id)
            if key in row_ids:
                row_id = row_ids[key]
                conn.execute("UPDATE similar_papers SET digest = ?, counts = ?, posted = x'' WHERE id = ?",
                             (digest, blob, row_id))
            else:
                cursor = conn.execute("INSERT INTO similar_papers (key, digest, counts) VALUES (?, ?, ?)",
                                      (key, digest, blob))
                row_id = int(cursor.lastrowid or 0)
            rows.append((row_id, by_id))
        if get_meta(conn, "built") and not self._reweigh_due():
            papers = paper_count(conn)
            self._post([(row_id, weigh(by_id.items(), dfs, papers)) for row_id, by_id in rows])

    def _unpost(self, row_id: int, counts: bytes, posted: bytes) -> None:
        """Take a paper's words out of the frequencies and its postings out of the index."""
        ids, _ = unpack_counts(counts)
        self.conn.executemany("UPDATE similar_terms SET df = df - 1 WHERE id = ?", ((i,) for i in ids))
        self.conn.executemany("DELETE FROM similar_postings WHERE term = ? AND paper = ?",
                              ((term, row_id) for term in unpack_ids(posted)))

    def _post(self, vectors: list[tuple[int, list[tuple[int, float]]]]) -> None:
        """Post each (paper id, weighted words) under its words, and note which they are."""
        self.conn.executemany(
            "INSERT OR REPLACE INTO similar_postings (term, paper, weight) VALUES (?, ?, ?)",
            ((term, row_id, weight) for row_id, vector in vectors for term, weight in vector),
        )
        self.conn.executemany(
            "UPDATE similar_papers SET posted = ? WHERE id = ?",
            ((pack_ids(term for term, _ in vector), row_id) for row_id, vector in vectors),
        )

    def _forget_unseen(self) -> None:
        conn = self.conn
        with writing(conn):
            gone = conn.execute(
                "SELECT id, counts, posted FROM similar_papers WHERE key NOT IN (SELECT key FROM similar_seen)"
            ).fetchall()
            for row_id, counts, posted in gone:
                self._unpost(row_id, counts, posted)
            conn.executemany("DELETE FROM similar_papers WHERE id = ?", ((row_id,) for row_id, _, _ in gone))
            if gone:
                conn.execute("DELETE FROM similar_terms WHERE df <= 0")
            conn.execute("DELETE FROM similar_seen")

    # the whole library, weighed again --------------------------------------------------------

    def reweigh(self, cancelled: Callable[[], bool] = lambda: False) -> bool:
        """Weigh every paper with the frequencies of now and post it again, a batch a
        transaction; the model is ``built`` once every paper has been."""
        conn = self.conn
        papers = paper_count(conn)
        idfs = idf_table(self._frequencies(), papers)
        last = 0
        self.read = 0
        while True:
            if cancelled():
                return False
            rows = conn.execute(
                "SELECT id, counts FROM similar_papers WHERE id > ? ORDER BY id LIMIT ?", (last, BATCH)
            ).fetchall()
            if not rows:
                break
            vectors = {row_id: weigh_by_idf(zip(*unpack_counts(counts)), idfs) for row_id, counts in rows}
            with writing(conn):
                ids = list(vectors)
                posted = conn.execute(f"SELECT id, posted FROM similar_papers WHERE id IN ({marks(len(ids))})", ids)
                conn.executemany("DELETE FROM similar_postings WHERE term = ? AND paper = ?",
                                 [(term, row_id) for row_id, blob in posted.fetchall() for term in unpack_ids(blob)])
                self._post(list(vectors.items()))
            last = rows[-1][0]
            self.read += len(rows)
        with writing(conn):
            set_meta(conn, "weighed_at", papers)
            set_meta(conn, "built", 1)
        return True

    def _frequencies(self) -> array:
        """Every word's document frequency, by id, as one array (4 bytes a word)."""
        top = self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM similar_terms").fetchone()[0]
        df = array("i", bytes(4 * (int(top) + 1)))
        for term_id, frequency in self.conn.execute("SELECT id, df FROM similar_terms"):
            df[term_id] = frequency
        return df

