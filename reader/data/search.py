"""The search language: words, "phrases", -exclusions, title:/author: fields, is: and has: filters.

Matching works on lower-cased text prepared once per paper (``SearchIndex``), so a keystroke
costs one substring scan per term over the papers still in the running, not a re-lowering
of every abstract.
"""

from __future__ import annotations

import re
import shlex
from bisect import bisect_right
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
    """Every paper's lower-cased title, authors and abstract in one UTF-8 buffer.

    One buffer, not a string per paper: a word absent from 50,000 abstracts is found
    absent in one fast scan of it, a word in many is found by jumping from hit to the
    next paper, and a refined search checks each remaining paper within its own bounds.
    Bytes keep every character at its UTF-8 size: one emoji would otherwise widen a
    Python string of the whole library to four bytes a character.
    """

    def __init__(self, papers: Sequence[Paper]) -> None:
        self.papers = papers
        hay = bytearray()  # grown in place: joining parts would hold the library twice
        starts: list[int] = []
        title_ends: list[int] = []
        author_ends: list[int] = []
        for paper in papers:
            starts.append(len(hay))
            hay += paper.title.lower().encode()
            title_ends.append(len(hay))
            hay += b"\x00"
            hay += "\n".join(paper.authors).lower().encode()
            author_ends.append(len(hay))
            hay += b"\x00"
            hay += paper.abstract.lower().encode()
            hay += b"\x00"
        starts.append(len(hay))
        self._hay = hay
        self._starts = starts
        self._title_ends = title_ends
        self._author_ends = author_ends

    def _bounds(self, field: str | None) -> tuple[list[int], list[int]]:
        if field == "title":
            return self._starts, self._title_ends
        if field == "author":
            return [end + 1 for end in self._title_ends], self._author_ends
        return self._starts, [start - 1 for start in self._starts[1:]]

    def _scan(self, needle: bytes) -> list[int]:
        """Every paper whose text holds ``needle``, by jumping from hit to the next paper."""
        hay, starts, found = self._hay, self._starts, []
        find = hay.find
        pos = find(needle)
        index = 0
        while pos >= 0:
            if pos - starts[index] > 4096:  # far ahead: binary search; near: step
                index = bisect_right(starts, pos, index) - 1
            while starts[index + 1] <= pos:
                index += 1
            found.append(index)
            index += 1
            pos = find(needle, starts[index])
        return found

    def _keep(self, term: Term, candidates: list[int], everyone: bool) -> list[int]:
        """The candidates whose text holds ``term`` (or lacks it, when negated)."""
        needle = term.text.encode()
        if term.field is None and everyone and not term.negated:
            return self._scan(needle)
        find = self._hay.find
        lows, highs = self._bounds(term.field)
        if term.negated:
            return [i for i in candidates if find(needle, lows[i], highs[i]) < 0]
        return [i for i in candidates if find(needle, lows[i], highs[i]) >= 0]

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
        everyone = within is None
        for term in sorted(query.terms, key=lambda t: t.negated):
            candidates = self._keep(term, candidates, everyone)
            everyone = False
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
