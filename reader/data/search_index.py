"""Search over a whole library in a few milliseconds a keystroke, whatever its size.

Scanning 50,000 abstracts (70 MB of text) for a word takes 40-80 ms however it is done
in Python. The index instead keeps, per field, every whitespace-separated token with the
papers that hold it: a term without whitespace is in a paper's text exactly when it is
inside one of the paper's tokens, so a keystroke scans the vocabulary (a few hundred KB)
and ors together the papers of the tokens found. Papers are sets of list positions held
as int bitsets (``bitset``), so words, fields, marks and ``has:code`` combine by ``&``.
Phrases take the papers holding all their words and check the phrase in those only.
``search.matches`` stays the definition; the tests hold the index to it.
"""

from __future__ import annotations

import re
from array import array
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from functools import partial
from operator import methodcaller
from typing import Protocol

from reader.data import bitset
from reader.data.paper import Paper
from reader.data.search import MarkLike, Query, Term, field_text

# A token in at least 1/COMMON_SHARE of the papers keeps a bitset (n/8 bytes, or'd in C);
# rarer tokens keep a position array (4 bytes a paper), turned into bits when searched.
COMMON_SHARE = 32
TERM_CACHE_SIZE = 256  # (field, text) -> bits: re-typed and unchanged terms cost nothing
FIELD_NAMES = (None, "title", "author")


class MarkSource(Protocol):
    """Where the index learns the marks (``Store`` fits)."""

    @property
    def marks_version(self) -> int: ...

    def mark_flags(self, papers: Sequence[Paper]) -> tuple[bytearray, bytearray]: ...


class _FieldTokens:
    """The tokens of one field and, for each, the papers holding it."""

    def __init__(self) -> None:
        self._postings: defaultdict[str, array] = defaultdict(partial(array, "i"))  # 4 bytes a posting
        self._common: dict[str, int] = {}
        self._rare: dict[str, array] = {}
        self._common_vocabulary = ""
        self._rare_vocabulary = ""

    def add(self, position: int, tokens: set[str]) -> None:
        # C-level: the per-token work of a library build is millions of appends
        deque(map(methodcaller("append", position), map(self._postings.__getitem__, tokens)), maxlen=0)

    def finish(self, count: int) -> None:
        threshold = max(1, count // COMMON_SHARE)
        for token, positions in self._postings.items():
            if len(positions) >= threshold:
                self._common[token] = bitset.from_positions(positions, count)
            else:
                self._rare[token] = positions
        self._postings.clear()
        self._common_vocabulary = "\n".join(self._common)
        self._rare_vocabulary = "\n".join(self._rare)

    def containing(self, needle: str, count: int, everyone: int) -> int:
        """The papers with a token that contains ``needle`` (which holds no whitespace)."""
        pattern = re.compile(f"[^\n]*{re.escape(needle)}[^\n]*")
        bits = 0
        for token in pattern.findall(self._common_vocabulary):
            bits |= self._common[token]
        if bits == everyone:
            return bits
        tokens = pattern.findall(self._rare_vocabulary)
        if tokens:
            flags = bytearray(count)
            for token in tokens:
                bitset.set_flags(flags, self._rare[token])
            bits |= bitset.from_flags(flags)
        return bits


def _is_one_token(text: str) -> bool:
    """True when ``text`` can only lie inside a single token of a field's text."""
    return text.split() == [text] and "\x00" not in text


class SearchIndex:
    """Token postings for the title, the authors and the whole text of ``papers``, plus
    the read, bookmarked and with-code papers, all as bitsets over list positions."""

    def __init__(
        self,
        papers: Sequence[Paper],
        marks: MarkSource,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> None:
        self.papers = papers
        self._marks = marks
        self._count = len(papers)
        self._everyone = bitset.everyone(self._count)
        self._fields = {name: _FieldTokens() for name in FIELD_NAMES}
        self._positions = {id(paper): i for i, paper in enumerate(papers)}
        self._cache: dict[tuple[str | None, str], int] = {}
        self.complete = False
        whole, titles, authors = (self._fields[name] for name in FIELD_NAMES)
        for position, paper in enumerate(papers):
            if position % 1024 == 0 and cancelled():
                return
            title = set(paper.title.lower().split())
            names = set("\n".join(paper.authors).lower().split())
            titles.add(position, title)
            authors.add(position, names)
            whole.add(position, title | names | set(paper.abstract.lower().split()))
        for tokens in self._fields.values():
            tokens.finish(self._count)
        flags = bytearray(self._count)
        bitset.set_flags(flags, (i for i, paper in enumerate(papers) if paper.code_url))
        self._code = bitset.from_flags(flags)
        self._read = self._bookmarked = 0
        self._marks_version = -1
        self._sync_marks()
        self.complete = True

    # marks ---------------------------------------------------------------------------

    def _sync_marks(self) -> None:
        """Re-read every mark when the store's changed in ways this index was not told of."""
        version = self._marks.marks_version
        if version != self._marks_version:
            read, bookmarked = self._marks.mark_flags(self.papers)
            self._read, self._bookmarked = bitset.from_flags(read), bitset.from_flags(bookmarked)
            self._marks_version = version

    def note_mark(self, paper: Paper, mark: MarkLike, version_before: int, changes: int) -> None:
        """Take in a mark the reader just changed: ``changes`` state changes (read and/or
        bookmark) made from the store's ``version_before``. When nothing else changed in
        between, the index stays current without re-reading every mark."""
        position = self._positions.get(id(paper))
        if position is None:
            return
        bit = 1 << position
        self._read = self._read | bit if mark.read else self._read & ~bit
        self._bookmarked = self._bookmarked | bit if mark.bookmarked else self._bookmarked & ~bit
        if self._marks_version == version_before and self._marks.marks_version == version_before + changes:
            self._marks_version = version_before + changes

    # searching -----------------------------------------------------------------------

    def filter(self, query: Query) -> list[int]:
        """Positions of the papers matching ``query``, in list order."""
        bits = self._everyone
        for term in sorted(query.terms, key=lambda t: t.negated):
            if not bits:
                break
            found = self._papers_with(term, bits)
            bits = bits & ~found if term.negated else bits & found
        if query.has_code:
            bits &= self._code
        if query.states:
            self._sync_marks()
        for state in query.states:
            if state == "read":
                bits &= self._read
            elif state == "unread":
                bits &= ~self._read
            else:
                bits &= self._bookmarked
        return bitset.to_positions(bits)

    def _papers_with(self, term: Term, within: int) -> int:
        """The papers whose ``term.field`` holds ``term.text``: all of them, or, for a
        phrase, those among ``within`` (the check then reads each candidate's text)."""
        if _is_one_token(term.text):
            return self._containing(term.field, term.text)
        candidates = within
        for part in term.text.split():
            candidates &= self._containing(term.field, part)
        papers = self.papers
        return bitset.from_positions(
            (i for i in bitset.to_positions(candidates) if term.text in field_text(papers[i], term.field)),
            self._count,
        )

    def _containing(self, field: str | None, needle: str) -> int:
        key = (field, needle)
        bits = self._cache.get(key)
        if bits is None:
            bits = self._fields[field].containing(needle, self._count, self._everyone)
            if len(self._cache) >= TERM_CACHE_SIZE:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = bits
        return bits
