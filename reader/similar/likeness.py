"""The library's likeness model: which papers are most like one, and how like the
bookmarks each paper is, answered from the tables in ``library.sqlite3``.

A question weighs its own words with the library's frequencies of now, then lets SQLite
sum, paper by paper, the products with the postings of those words (a few dozen ranges of
the clustered index) and keep the best: no index is held in memory, and at 50,000 papers
an answer takes a few milliseconds. A paper the model has not read yet is asked about
by its title and abstract.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from reader.library import connect, database_path, describe, ensure_schema
from reader.model import StoreError
from reader.similar.learning import Learner, Text, paper_count
from reader.similar.tables import PART, VERSION, chunks, create, get_meta, marks, unpack_counts
from reader.similar.terms import term_counts
from reader.similar.weights import add_into, top_of, weigh

QUERY_TERMS = 32
PROFILE_TERMS = 64
MORE_LIKE_THIS = 30

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Match:
    """A paper of the library (by key) and its likeness to the one asked about, 0 to 1."""

    key: str
    score: float


Vector = list[tuple[int, float]]


class Likeness:
    """The model kept in ``data_dir``'s database. Questions may come from any thread (one at
    a time, under a lock); ``learn`` runs in one worker with a connection of its own."""

    def __init__(self, data_dir: Path) -> None:
        self.path = database_path(Path(data_dir))
        self._lock = threading.Lock()
        self._opening = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._learner: Learner | None = None
        self._built = False

    # learning -------------------------------------------------------------------------------

    def learn(self, texts: Iterable[Text], *, complete: bool, cancelled: Callable[[], bool] = lambda: False) -> bool:
        """Read new and changed papers among ``texts`` (``complete``: the whole library, so
        papers not among them are forgotten). False when cancelled. Raises ``StoreError``."""
        conn = self._open()
        learner = Learner(conn)
        self._learner = learner
        try:
            return learner.learn(texts, complete=complete, cancelled=cancelled)
        except sqlite3.Error as exc:
            raise StoreError(f"likeness model: {describe(exc)}") from exc
        finally:
            self._learner = None
            conn.close()

    @property
    def building(self) -> bool:
        return self._learner is not None

    @property
    def papers_read(self) -> int:
        """Papers looked at so far by the learning under way (0 when none is)."""
        learner = self._learner
        return learner.read if learner is not None else 0

    @property
    def ready(self) -> bool:
        """Whether every paper read has been weighed at least once: questions can be answered."""
        if not self._built:
            self._built = bool(self._ask(lambda conn: get_meta(conn, "built")))
        return self._built

    # questions -----------------------------------------------------------------------------

    def more_like(self, key: str, title: str = "", abstract: str = "", limit: int = MORE_LIKE_THIS) -> list[Match]:
        """The ``limit`` papers most like the paper of ``key`` (read from its own words in the
        model, or else from ``title`` and ``abstract``), best first; never the paper itself."""

        def ask(conn: sqlite3.Connection) -> list[Match]:
            vector, own = self._vector(conn, key, title, abstract)
            return self._best(conn, vector, own, limit)

        return self._ask(ask)

    def liking(self, liked: Iterable[str]) -> dict[str, float]:
        """Every paper's likeness to the papers of the ``liked`` keys taken together (their
        words summed into one profile); papers sharing none of its words are left out."""
        keys = list(dict.fromkeys(liked))

        def ask(conn: sqlite3.Connection) -> dict[str, float]:
            papers = paper_count(conn)
            profile: dict[int, float] = {}
            for part in chunks(keys):
                for (counts,) in conn.execute(
                    f"SELECT counts FROM similar_papers WHERE key IN ({marks(len(part))})", part
                ):
                    ids, tallies = unpack_counts(counts)
                    add_into(profile, weigh(zip(ids, tallies), self._frequencies(conn, ids), papers, QUERY_TERMS))
            vector = top_of(profile, PROFILE_TERMS)
            return {match.key: match.score for match in self._best(conn, vector, 0, None)}

        return self._ask(ask) if keys else {}

    def _vector(self, conn: sqlite3.Connection, key: str, title: str, abstract: str) -> tuple[Vector, int]:
        """The question's weighted words, and the model's id of its paper (0: not read)."""
        papers = max(1, paper_count(conn))
        row = conn.execute("SELECT id, counts FROM similar_papers WHERE key = ?", (key,)).fetchone()
        if row is not None:
            ids, tallies = unpack_counts(row[1])
            return weigh(zip(ids, tallies), self._frequencies(conn, ids), papers, QUERY_TERMS), int(row[0])
        counts = term_counts(title, abstract)
        found: dict[int, int] = {}
        pairs: list[tuple[int, int]] = []
        words = list(counts)
        for part in chunks(words):
            for term, term_id, df in conn.execute(
                f"SELECT term, id, df FROM similar_terms WHERE term IN ({marks(len(part))})", part
            ):
                found[term_id] = df
                pairs.append((term_id, counts[term]))
        # Text the model has not read: a word of one paper is a word of another paper.
        return weigh(pairs, found, papers, QUERY_TERMS, least=1), 0

    @staticmethod
    def _frequencies(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, int]:
        found: dict[int, int] = {}
        for part in chunks(ids):
            found.update(conn.execute(f"SELECT id, df FROM similar_terms WHERE id IN ({marks(len(part))})", part))
        return found

    @staticmethod
    def _best(conn: sqlite3.Connection, vector: Vector, own: int, limit: int | None) -> list[Match]:
        """Papers by the sum of their postings' weights times the question's, best first."""
        if not vector:
            return []
        values = ",".join("(?, ?)" for _ in vector)
        params: list[float | int] = [number for pair in vector for number in pair]
        query = (
            f"WITH q (term, weight) AS (VALUES {values}) "
            "SELECT s.key, t.score FROM ("
            "  SELECT p.paper AS paper, SUM(p.weight * q.weight) AS score "
            "  FROM q CROSS JOIN similar_postings AS p ON p.term = q.term "
            "  WHERE p.paper != ? GROUP BY p.paper ORDER BY score DESC, p.paper"
            + (" LIMIT ?" if limit is not None else "")
            + ") AS t JOIN similar_papers AS s ON s.id = t.paper ORDER BY t.score DESC, t.paper"
        )
        params.append(own)
        if limit is not None:
            params.append(limit)
        return [Match(key, min(1.0, score)) for key, score in conn.execute(query, params)]

    # the connection for questions ----------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        with self._opening:  # two connections of this reader never make the tables at once
            conn = connect(self.path)
            ensure_schema(conn, PART, VERSION, create)
        return conn

    def _ask(self, question: Callable[[sqlite3.Connection], R]) -> R:
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = self._open()
                return question(self._conn)
            except sqlite3.Error as exc:
                raise StoreError(f"likeness model: {describe(exc)}") from exc

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
