"""Papers as rows of the library's ``papers`` table, and the paper whose abstract stays there.

A library of 50,000 papers holds 60 MB of abstracts that the list never shows: a
:class:`LibraryPaper` keeps every other field in memory (what the list, the header and
the filters need) and reads its abstract from the database when it is asked for (the
abstract pane, an export), without keeping it.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import threading
from collections.abc import Callable
from typing import Any

from reader.model import Paper, StoreError
from reader.library.keys import key_of, title_key_of

UNDATED = "undated"

SCHEMA_SQL = (
    """CREATE TABLE papers (
        rowid INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        title_key TEXT NOT NULL,
        month TEXT NOT NULL,
        title TEXT NOT NULL,
        arxiv_id TEXT,
        authors TEXT NOT NULL,
        author_count INTEGER,
        organization TEXT,
        published TEXT,
        submitted TEXT,
        upvotes INTEGER,
        comments INTEGER,
        code_url TEXT,
        project_url TEXT,
        github_stars INTEGER,
        ai_summary TEXT,
        ai_keywords TEXT NOT NULL,
        abstract TEXT NOT NULL
    ) STRICT""",
    "CREATE INDEX papers_by_title_key ON papers (title_key)",
    "CREATE INDEX papers_by_month ON papers (month, published)",
    # Search: the text kept lower-cased as ``str.lower`` does it (``search_text``), so a
    # match is exactly the substring test of ``search.matches``, odd letters included; the
    # trigram index finds it in C (with positions: without them, a column filter or a
    # common trigram leaves thousands of rows to check one by one).
    "CREATE VIRTUAL TABLE papers_text USING fts5(title, authors, abstract, tokenize='trigram case_sensitive 1')",
)

# What a row holds besides the abstract, in the order ``row_values`` writes and
# ``paper_of_row`` reads them.
LIST_COLUMNS = (
    "rowid", "title", "arxiv_id", "authors", "author_count", "organization", "published", "submitted",
    "upvotes", "comments", "code_url", "project_url", "github_stars", "ai_summary", "ai_keywords",
)
WRITTEN_COLUMNS = ("key", "title_key", "month", *LIST_COLUMNS[1:], "abstract")
SELECT_LIST = ", ".join(LIST_COLUMNS)
NEWEST_FIRST = "month = 'undated', month DESC, coalesce(published, '') DESC, title, rowid"
"""The library's order: newest month first (``undated`` last), then newest paper, then title."""


def month_of(published: str | None) -> str:
    """The month a paper is filed under: ``YYYY-MM`` of its publication, else ``undated``."""
    text = published or ""
    if len(text) >= 7 and text[4] == "-" and text[:4].isdigit() and text[5:7] in _MONTHS:
        return text[:7]
    return UNDATED


_MONTHS = {f"{m:02d}" for m in range(1, 13)}
shard_of = month_of  # the name the search index cache knows it by


class AbstractSource:
    """Reads one paper's abstract from the database, from any thread (one at a time)."""

    def __init__(self, conn_factory: Callable[[], sqlite3.Connection]) -> None:
        self._factory = conn_factory
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def abstract(self, rowid: int) -> str:
        """The abstract of row ``rowid``; empty when the row is gone or cannot be read."""
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = self._factory()
                row = self._conn.execute("SELECT abstract FROM papers WHERE rowid = ?", (rowid,)).fetchone()
            except (sqlite3.Error, StoreError, OSError, ValueError):
                return ""  # an unreadable abstract shows empty; the list keeps working
        return row[0] if row else ""

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


class LibraryPaper(Paper):
    """A paper of the library: every field in memory but the abstract, which is read from
    the database each time it is asked for (unless it was given, as for a fresh fetch).
    ``rowid`` is its row, by which search results find it in a list."""

    __slots__ = ("rowid", "_abstract", "_source")

    def _get_abstract(self) -> str:
        text = self._abstract
        if text is None:
            return self._source.abstract(self.rowid) if self._source is not None else ""
        return text

    def _set_abstract(self, value: str | None) -> None:
        self._abstract = value

    abstract = property(_get_abstract, _set_abstract)  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Paper):
            return paper_values(self) == paper_values(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


def paper_values(paper: Paper) -> tuple[Any, ...]:
    return (
        paper.title, paper.abstract, paper.arxiv_id, paper.authors, paper.author_count, paper.organization,
        paper.published, paper.submitted, paper.upvotes, paper.comments, paper.code_url, paper.project_url,
        paper.github_stars, paper.ai_summary, paper.ai_keywords,
    )


_intern = sys.intern


def paper_of_row(row: tuple[Any, ...], source: AbstractSource | None, abstract: str | None = None) -> LibraryPaper:
    """The paper of a row selected as ``SELECT_LIST``; its abstract read through ``source``
    (or ``abstract`` when given)."""
    (rowid, title, arxiv, authors, author_count, organization, published, submitted, upvotes, comments,
     code_url, project_url, github_stars, ai_summary, ai_keywords) = row
    paper = LibraryPaper(
        title, abstract, arxiv, [_intern(name) for name in authors.split("\n")] if authors else [],
        author_count, organization and _intern(organization), published and _intern(published),
        submitted and _intern(submitted), upvotes, comments, code_url, project_url, github_stars, ai_summary,
        _keywords(ai_keywords) if ai_keywords != "[]" else [],
    )
    paper.rowid = rowid
    paper._source = source
    return paper


def _keywords(text: str) -> list[str]:
    """A row's keywords. The table is STRICT, so every column has its type whoever wrote
    it, but this one is JSON inside a string: anything but a list of strings is none."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return []
    return [word for word in value if isinstance(word, str)] if isinstance(value, list) else []


def search_text(paper: Paper) -> tuple[str, str, str]:
    """The title, authors and abstract as search compares them (``search.field_text``)."""
    return paper.title.lower(), "\n".join(paper.authors).lower(), paper.abstract.lower()


def row_values(paper: Paper) -> tuple[Any, ...]:
    """The values of ``WRITTEN_COLUMNS`` for ``paper``."""
    return (
        key_of(paper), title_key_of(paper), month_of(paper.published), paper.title, paper.arxiv_id,
        "\n".join(paper.authors), paper.author_count, paper.organization, paper.published, paper.submitted,
        paper.upvotes, paper.comments, paper.code_url, paper.project_url, paper.github_stars, paper.ai_summary,
        json.dumps(list(paper.ai_keywords), ensure_ascii=False), paper.abstract,
    )
