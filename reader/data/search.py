"""The search language: words, "phrases", -exclusions, title:/author: fields, is: and has: filters.

Matching works on lower-cased text prepared once per paper (``SearchIndex``), so a keystroke
costs one substring scan per term over the papers still in the running, not a re-lowering
of every abstract.
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


class SearchIndex:
    """Lower-cased title, authors and abstract of each paper, built once per list.

    Kept as three lists rather than one joined text: a 50,000-paper library would
    otherwise hold its titles and names twice more.
    """

    def __init__(self, papers: Sequence[Paper]) -> None:
        self.papers = papers
        self._titles = [p.title.lower() for p in papers]
        self._authors = ["\n".join(p.authors).lower() for p in papers]
        self._abstracts = [p.abstract.lower() for p in papers]

    def _keep(self, term: Term, candidates: list[int]) -> list[int]:
        """The candidates whose text holds ``term`` (or lacks it, when negated)."""
        needle = term.text
        if term.field is not None:
            hay = self._titles if term.field == "title" else self._authors
            if term.negated:
                return [i for i in candidates if needle not in hay[i]]
            return [i for i in candidates if needle in hay[i]]
        titles, authors, abstracts = self._titles, self._authors, self._abstracts
        if term.negated:
            return [
                i for i in candidates
                if needle not in titles[i] and needle not in abstracts[i] and needle not in authors[i]
            ]
        return [
            i for i in candidates
            if needle in titles[i] or needle in abstracts[i] or needle in authors[i]
        ]

    def filter(
        self,
        query: Query,
        marks: MarkLookup,
        within: Sequence[int] | None = None,
    ) -> list[int]:
        """Indices of the papers matching ``query``, in list order.

        ``within`` narrows the scan to an earlier result that this query refines.
        """
        candidates = list(range(len(self.papers))) if within is None else list(within)
        for term in sorted(query.terms, key=lambda t: t.negated):
            candidates = self._keep(term, candidates)
        papers = self.papers
        if query.has_code:
            candidates = [i for i in candidates if papers[i].code_url]
        for state in query.states:
            if state == "read":
                candidates = [i for i in candidates if marks(papers[i]).read]
            elif state == "unread":
                candidates = [i for i in candidates if not marks(papers[i]).read]
            else:
                candidates = [i for i in candidates if marks(papers[i]).bookmarked]
        return candidates


def refines(new: Query, old: Query) -> bool:
    """True when every paper ``new`` matches is sure to match ``old`` too.

    Holds when ``old`` has only positive text terms and each is contained in a term of
    ``new`` on the same field: typing more letters only narrows. State filters are
    excluded because marks change between keystrokes.
    """
    if old.states or new.states or (old.has_code and not new.has_code):
        return False
    if any(t.negated for t in old.terms):
        return False
    return all(
        any(n.field == o.field and not n.negated and o.text in n.text for n in new.terms)
        for o in old.terms
    )


def highlight_spans(text: str, needles: Sequence[str]) -> list[tuple[int, int]]:
    """Where any of ``needles`` occurs in ``text``, case-insensitively, as (start, end)."""
    wanted = [n for n in needles if n]
    if not wanted or not text:
        return []
    pattern = re.compile("|".join(re.escape(n) for n in sorted(wanted, key=len, reverse=True)), re.I)
    return [m.span() for m in pattern.finditer(text)]
