"""The search language: words, "phrases", -exclusions, title:/author: fields, is: and has: filters.

A term matches a paper when its lower-cased text holds the term (``matches`` says exactly
when); ``search_index.SearchIndex`` answers the same question for a whole library from its
token postings.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from reader.data.paper import Paper

FIELDS = ("title", "author")
STATES = ("read", "unread", "bookmarked")


class MarkLike(Protocol):
    """What the filters need to know of a paper's state (a ``Store.mark`` result fits)."""

    read: bool
    bookmarked: bool


MarkLookup = Callable[[Paper], MarkLike]


@dataclass(frozen=True, slots=True)
class Term:
    """One text condition: ``text`` lower-cased, in ``field`` (None: anywhere), maybe negated."""

    text: str
    field: str | None = None
    negated: bool = False


@dataclass(slots=True)
class Query:
    """A parsed search; empty when the search bar is empty."""

    terms: list[Term] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    has_code: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.states or self.has_code)

    @property
    def highlights(self) -> list[str]:
        """The words and phrases to highlight in the abstract pane."""
        return [t.text for t in self.terms if not t.negated and t.field != "author"]

    @property
    def author_highlights(self) -> list[str]:
        return [t.text for t in self.terms if not t.negated and t.field in (None, "author")]


def _split(text: str) -> list[str]:
    """Split on spaces, keeping quoted phrases; an unclosed quote runs to the end."""
    try:
        lexer = shlex.shlex(text, posix=True)
        lexer.whitespace_split = True
        lexer.commenters = ""
        lexer.escape = ""
        lexer.quotes = '"'
        return list(lexer)
    except ValueError:
        return _split(text + '"')


def parse_query(text: str) -> Query:
    """Parse what the user typed; unknown ``is:``/``has:`` values are plain words."""
    query = Query()
    for token in _split(text):
        negated = token.startswith("-") and len(token) > 1
        body = token[1:] if negated else token
        name, sep, value = body.partition(":")
        name = name.lower()
        if sep and name == "is" and value.lower() in STATES and not negated:
            query.states.append(value.lower())
        elif sep and name == "has" and value.lower() == "code" and not negated:
            query.has_code = True
        elif sep and name in FIELDS and value:
            query.terms.append(Term(value.lower(), name, negated))
        elif body:
            query.terms.append(Term(body.lower(), None, negated))
    return query


def field_text(paper: Paper, field: str | None) -> str:
    """The lower-cased text a term on ``field`` is looked for in (None: the whole paper).

    Fields are joined by NUL, which no term holds, so no match runs from one into the next.
    """
    if field == "title":
        return paper.title.lower()
    if field == "author":
        return "\n".join(paper.authors).lower()
    return "\x00".join((paper.title.lower(), "\n".join(paper.authors).lower(), paper.abstract.lower()))


def matches(paper: Paper, query: Query, mark: MarkLike) -> bool:
    """Whether ``paper`` (with its ``mark``) answers ``query``: the definition of a match."""
    for term in query.terms:
        if (term.text in field_text(paper, term.field)) == term.negated:
            return False
    if query.has_code and not paper.code_url:
        return False
    for state in query.states:
        if state == "read" and not mark.read:
            return False
        if state == "unread" and mark.read:
            return False
        if state == "bookmarked" and not mark.bookmarked:
            return False
    return True


def scan(papers: Sequence[Paper], query: Query, marks: MarkLookup) -> list[int]:
    """Positions of the papers matching ``query``, paper by paper.

    Enough for a day's list; a library is searched through its ``SearchIndex``, and
    scanned only while that index is being built.
    """
    return [i for i, paper in enumerate(papers) if matches(paper, query, marks(paper))]


def highlight_spans(text: str, needles: Sequence[str]) -> list[tuple[int, int]]:
    """Where any of ``needles`` occurs in ``text``, case-insensitively, as (start, end)."""
    wanted = [n for n in needles if n]
    if not wanted or not text:
        return []
    pattern = re.compile("|".join(re.escape(n) for n in sorted(wanted, key=len, reverse=True)), re.I)
    return [m.span() for m in pattern.finditer(text)]
