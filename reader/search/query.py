"""The search language: words, "phrases", -exclusions, title:/author: fields, is: and has: filters.

A term matches a paper when its lower-cased text holds the term (``matches`` says exactly
when); ``search_index.SearchIndex`` answers the same question for a whole library from its
token postings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from reader.model import Paper

FIELDS = ("title", "author")
STATES = ("read", "unread", "bookmarked", "new")
HUB_KINDS = ("model", "dataset", "space")


class MarkLike(Protocol):
    """What the filters need to know of a paper's state (a ``Store.mark`` result fits)."""

    read: bool
    bookmarked: bool
    new: bool


MarkLookup = Callable[[Paper], MarkLike]


class Term(NamedTuple):
    """One text condition: ``text`` lower-cased, in ``field`` (None: anywhere), maybe negated."""

    text: str
    field: str | None = None
    negated: bool = False


@dataclass(slots=True)
class Query:
    """A parsed search; empty when the search bar is empty.

    ``states`` holds ``read``, ``unread``, ``bookmarked``, ``unbookmarked``, ``new`` or
    ``old`` (all must hold; new: not on screen in a list before this visit); ``has_code`` is True for papers with a code link, False for those without.
    ``hub`` holds (kind, wanted) for ``has:model``, ``-has:dataset`` …: whether a paper is
    known to have that kind of artefact on the Hub. Neither ``matches`` nor the index
    knows the Hub: the reading session answers these from the kept answers.
    """

    terms: list[Term] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    has_code: bool | None = None
    hub: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.states or self.has_code is not None or self.hub)

    def highlights(self, where: str | None) -> list[str]:
        """What to highlight in the paper's ``title`` or ``author`` line, or (None) in its
        abstract and summary: the words and phrases that match there."""
        return [t.text for t in self.terms if not t.negated and t.field in (None, where)]


# A token: an optional "-", an optional "name:", then a "quoted phrase" (an unclosed quote
# runs to the end) or a bare word. Quoted text is taken as typed: "is:read" is a phrase.
_TOKEN = re.compile(r'(-)?(?:([A-Za-z]+):)?(?:"([^"]*)"?|(\S+))')
_NEGATED_STATE = {"read": "unread", "unread": "read", "bookmarked": "unbookmarked", "new": "old"}


def parse_query(text: str) -> Query:
    """Parse what the user typed; an unknown ``name:`` or ``is:``/``has:`` value is text."""
    query = Query()
    for match in _TOKEN.finditer(text):
        minus, name, quoted, bare = match.groups()
        negated = minus is not None
        name = (name or "").lower()
        value = quoted if quoted is not None else bare
        if quoted is None and name == "is" and value.lower() in STATES:
            state = value.lower()
            query.states.append(_NEGATED_STATE[state] if negated else state)
        elif quoted is None and name == "has" and value.lower() == "code":
            query.has_code = not negated
        elif quoted is None and name == "has" and value.lower() in HUB_KINDS:
            query.hub.append((value.lower(), not negated))
        elif name in FIELDS and value:
            query.terms.append(Term(value.lower(), name, negated))
        else:
            whole = match.group(0)[1:] if negated else match.group(0)
            if quoted is not None:
                whole = f"{name}:{quoted}" if name else quoted
            if whole:
                query.terms.append(Term(whole.lower(), None, negated))
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
    texts: dict[str | None, str] = {}  # each field's text is made once, however many terms
    for term in query.terms:
        text = texts.get(term.field)
        if text is None:
            text = texts[term.field] = field_text(paper, term.field)
        if (term.text in text) == term.negated:
            return False
    if query.has_code is not None and bool(paper.code_url) != query.has_code:
        return False
    for state in query.states:
        if state == "read" and not mark.read:
            return False
        if state == "unread" and mark.read:
            return False
        if state == "bookmarked" and not mark.bookmarked:
            return False
        if state == "unbookmarked" and mark.bookmarked:
            return False
        if state == "new" and not mark.new:
            return False
        if state == "old" and mark.new:
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
