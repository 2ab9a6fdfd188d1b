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
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from operator import methodcaller
from typing import Any, Protocol

from reader.search import bitset
from reader.model import Paper
from reader.search.query import MarkLike, Query, Term, field_text

# A token in at least 1/COMMON_SHARE of the papers keeps a bitset (n/8 bytes, or'd in C);
# rarer tokens keep a position array (4 bytes a paper), turned into bits when searched.
COMMON_SHARE = 32
TERM_CACHE_SIZE = 256  # terms' papers: re-typed and unchanged terms cost nothing
FIELD_NAMES = (None, "title", "author")


class MarkSource(Protocol):
    """Where the index learns the marks (``Store`` fits)."""

    @property
    def marks_version(self) -> int: ...

    def mark_flags(self, papers: Sequence[Paper]) -> tuple[bytearray, bytearray]: ...

    def new_flags(self, papers: Sequence[Paper]) -> bytearray: ...


class Readable(Protocol):
    """Where a kept index is read from (a binary file, or anything with its ``read``)."""

    def read(self, size: int = -1, /) -> bytes: ...


class _FieldTokens:
    """The tokens of one field and, for each, the papers holding it.

    Built token by token (``add``), then packed by ``finish``: common tokens as bitsets,
    rare ones as ranges of one position array: the form ``blocks`` writes and ``read`` reads.
    """

    def __init__(self) -> None:
        self._postings: defaultdict[str, array] = defaultdict(partial(array, "i"))  # 4 bytes a posting
        self._common: dict[str, int] = {}
        self._rare: dict[str, tuple[int, int]] = {}  # token -> (start, end) in _rare_positions
        self._rare_positions = array("i")
        self._common_vocabulary = ""
        self._rare_vocabulary = ""

    def add(self, position: int, tokens: set[str]) -> None:
        # C-level: the per-token work of a library build is millions of appends
        deque(map(methodcaller("append", position), map(self._postings.__getitem__, tokens)), maxlen=0)

    def finish(self, count: int) -> None:
        threshold = max(1, count // COMMON_SHARE)
        rare = self._rare_positions
        for token, positions in self._postings.items():
            if len(positions) >= threshold:
                self._common[token] = bitset.from_positions(positions, count)
            else:
                start = len(rare)
                rare.extend(positions)
                self._rare[token] = (start, len(rare))
        self._postings.clear()
        self._index_vocabularies()

    def _index_vocabularies(self) -> None:
        self._common_vocabulary = "\n".join(self._common)
        self._rare_vocabulary = "\n".join(self._rare)

    def containing(self, needle: str, count: int, everyone: int) -> int:
        """The papers with a token that contains ``needle`` (which holds no whitespace)."""
        bits = 0
        for token in _tokens_with(needle, self._common_vocabulary):
            bits |= self._common[token]
        if bits == everyone:
            return bits
        tokens = _tokens_with(needle, self._rare_vocabulary)
        if tokens:
            flags = bytearray(count)
            rare, positions = self._rare, self._rare_positions
            for token in tokens:
                start, end = rare[token]
                bitset.set_flags(flags, positions[start:end])
            bits |= bitset.from_flags(flags)
        return bits

    def header(self) -> dict[str, Any]:
        """The tokens, for the JSON header of a kept index."""
        return {"common": list(self._common), "rare": list(self._rare), "rare_ends": [e for _, e in self._rare.values()]}

    def blocks(self, count: int) -> Iterator[bytes]:
        """The postings as bytes: each common token's bitset, then every rare position."""
        width = (count + 7) // 8
        for bits in self._common.values():
            yield bits.to_bytes(width, "little")
        yield self._rare_positions.tobytes()

    @classmethod
    def read(cls, header: dict[str, Any], stream: Readable, count: int) -> _FieldTokens:
        """What ``header`` and ``blocks`` wrote; ``ValueError`` when it does not fit."""
        width = (count + 7) // 8
        common, rare, ends = header["common"], header["rare"], header["rare_ends"]
        if not all(isinstance(token, str) and token and "\n" not in token for token in (*common, *rare)):
            raise ValueError("index tokens are not tokens")
        if len(rare) != len(ends) or not all(type(end) is int for end in ends) or ends != sorted(ends):
            raise ValueError("index token ranges do not fit")
        everyone = bitset.everyone(count)
        tokens = cls()
        for token in common:
            chunk = stream.read(width)
            if len(chunk) != width:
                raise ValueError("index is cut short")
            tokens._common[token] = int.from_bytes(chunk, "little") & everyone
        found = tokens._rare_positions
        total = ends[-1] if ends else 0
        if total:
            found.fromfile(stream, total)  # EOFError when cut short
            if not 0 <= min(found) <= max(found) < count:
                raise ValueError("index positions are out of range")
        starts = [0, *ends[:-1]]
        tokens._rare = {token: (start, end) for token, start, end in zip(rare, starts, ends)}
        tokens._index_vocabularies()
        return tokens


def _tokens_with(needle: str, vocabulary: str) -> list[str]:
    """The tokens (one per line of ``vocabulary``) that contain ``needle``.

    A selective needle is found by ``str.find`` and widened to its line (~0.1 ms over
    250 KB); one in thousands of tokens by one anchored regex, which then costs less.
    """
    if vocabulary.count(needle) > 200:
        return re.findall(f"(?m)^[^\n]*{re.escape(needle)}[^\n]*", vocabulary)
    found: list[str] = []
    find, rfind = vocabulary.find, vocabulary.rfind
    hit = find(needle)
    while hit >= 0:
        start = rfind("\n", 0, hit) + 1
        end = find("\n", hit)
        if end < 0:
            end = len(vocabulary)
        found.append(vocabulary[start:end])
        hit = find(needle, end)
    return found


def _is_one_token(text: str) -> bool:
    """True when ``text`` can only lie inside a single token of a field's text."""
    return text.split() == [text] and "\x00" not in text


class IndexPart:
    """The tokens of one run of the list (a month of the library), with positions counted
    from the run's start, so a run's part is built, kept and read back on its own."""

    def __init__(self, count: int, fields: dict[str | None, _FieldTokens]) -> None:
        self.count = count
        self.fields = fields
        self.everyone = bitset.everyone(count)

    @classmethod
    def build(cls, papers: Sequence[Paper], cancelled: Callable[[], bool] = lambda: False) -> IndexPart | None:
        """Every token of ``papers``; ``None`` when ``cancelled`` says stop."""
        fields = {name: _FieldTokens() for name in FIELD_NAMES}
        whole, titles, authors = fields.values()
        for position, paper in enumerate(papers):
            if position % 1024 == 0 and cancelled():
                return None
            title = set(field_text(paper, "title").split())
            names = set(field_text(paper, "author").split())
            titles.add(position, title)
            authors.add(position, names)
            whole.add(position, title | names | set(paper.abstract.lower().split()))
        for tokens in fields.values():
            tokens.finish(len(papers))
        return cls(len(papers), fields)

    def containing(self, field: str | None, needle: str) -> int:
        return self.fields[field].containing(needle, self.count, self.everyone)

    def header(self) -> dict[str, Any]:
        """What a kept part needs besides its ``blocks``: the count and every field's tokens."""
        return {"count": self.count, "fields": [tokens.header() for tokens in self.fields.values()]}

    def blocks(self) -> Iterator[bytes]:
        for tokens in self.fields.values():
            yield from tokens.blocks(self.count)

    @classmethod
    def read(cls, header: dict[str, Any], stream: Readable, count: int) -> IndexPart:
        """A part of ``count`` papers from a kept build (``header``, then the ``blocks`` read
        from ``stream``); ``ValueError`` when it does not fit."""
        if header.get("count") != count or len(header.get("fields", ())) != len(FIELD_NAMES):
            raise ValueError("index part is of another run of papers")
        return cls(count, {name: _FieldTokens.read(part, stream, count) for name, part in zip(FIELD_NAMES, header["fields"])})


class SearchIndex:
    """Token postings for the title, the authors and the whole text of ``papers``, plus
    the read, bookmarked and with-code papers, all as bitsets over list positions.

    Assembled from ``parts`` that cover the list in order (``build`` makes one part; the
    library's index is kept in parts by ``index_cache``).
    """

    def __init__(self, papers: Sequence[Paper], marks: MarkSource, parts: Sequence[IndexPart]) -> None:
        if sum(part.count for part in parts) != len(papers):
            raise ValueError("index parts do not cover the list")
        self.papers = papers
        self._marks = marks
        self._count = len(papers)
        self._everyone = bitset.everyone(self._count)
        self._cache: dict[tuple[str | None, str, bool], int] = {}  # (field, text, phrase?)
        self._parts: list[tuple[int, IndexPart]] = []
        start = 0
        for part in parts:
            self._parts.append((start, part))
            start += part.count
        self._positions = {id(paper): i for i, paper in enumerate(papers)}
        self._code = bitset.from_positions((i for i, paper in enumerate(papers) if paper.code_url), self._count)
        self._read = self._bookmarked = 0
        self._marks_version = -1
        self._new = 0
        self._new_version = -1  # read only when a search asks for is:new or is:old
        self._sync_marks()

    @classmethod
    def build(
        cls, papers: Sequence[Paper], marks: MarkSource, cancelled: Callable[[], bool] = lambda: False
    ) -> SearchIndex | None:
        """The index of ``papers`` as one part; ``None`` when ``cancelled`` says stop."""
        part = IndexPart.build(papers, cancelled)
        return None if part is None else cls(papers, marks, [part])

    # marks ---------------------------------------------------------------------------

    def _sync_marks(self) -> None:
        """Re-read every mark when the store's changed in ways this index was not told of."""
        version = self._marks.marks_version
        if version != self._marks_version:
            read, bookmarked = self._marks.mark_flags(self.papers)
            self._read, self._bookmarked = bitset.from_flags(read), bitset.from_flags(bookmarked)
            self._marks_version = version

    def note_mark(self, paper: Paper, before: MarkLike, after: MarkLike) -> None:
        """Take in a mark the reader just changed from ``before`` to ``after``. When the
        store's marks changed by nothing else since this index read them, it stays current
        without reading every mark again."""
        position = self._positions.get(id(paper))
        if position is None:
            return
        bit = 1 << position
        self._read = self._read | bit if after.read else self._read & ~bit
        self._bookmarked = self._bookmarked | bit if after.bookmarked else self._bookmarked & ~bit
        changes = (before.read != after.read) + (before.bookmarked != after.bookmarked)
        if self._marks_version + changes == self._marks.marks_version:
            if self._new_version == self._marks_version:  # a mark never changes newness
                self._new_version += changes
            self._marks_version += changes

    def _new_papers(self) -> int:
        """The papers showing as new this visit, re-read when the marks have moved on."""
        version = self._marks.marks_version
        if version != self._new_version:
            self._new = bitset.from_flags(self._marks.new_flags(self.papers))
            self._new_version = version
        return self._new

    # searching -----------------------------------------------------------------------

    def answers_later(self, query: Query) -> bool:
        """Whether ``query`` takes long enough to answer off the event loop (never here)."""
        return False

    def answer(self, query: Query, cancelled: Callable[[], bool]) -> list[int] | None:
        """``filter(query)``, or ``None`` when ``cancelled`` says it is stale by then."""
        positions = self.filter(query)
        return None if cancelled() else positions

    def filter(self, query: Query) -> list[int]:
        """Positions of the papers matching ``query``, in list order."""
        bits = self._everyone
        for term in sorted(query.terms, key=lambda t: t.negated):
            if not bits:
                break
            found = self._papers_with(term)
            bits = bits & ~found if term.negated else bits & found
        if query.has_code is not None:
            bits &= self._code if query.has_code else ~self._code
        if query.states:
            self._sync_marks()
        for state in query.states:
            if state == "read":
                bits &= self._read
            elif state == "unread":
                bits &= ~self._read
            elif state == "bookmarked":
                bits &= self._bookmarked
            elif state == "unbookmarked":
                bits &= ~self._bookmarked
            elif state == "new":
                bits &= self._new_papers()
            elif state == "old":
                bits &= ~self._new_papers()
        return bitset.to_positions(bits)

    def _papers_with(self, term: Term) -> int:
        """The papers whose ``term.field`` holds ``term.text``. A phrase is checked in the
        text of each paper holding all its words, once: the answer is kept like a word's."""
        if _is_one_token(term.text):
            return self._containing(term.field, term.text)
        key = (term.field, term.text, True)
        found = self._cache.get(key)
        if found is None:
            candidates = self._everyone
            for part in term.text.split():
                candidates &= self._containing(term.field, part)
            papers = self.papers
            found = bitset.from_positions(
                (i for i in bitset.to_positions(candidates) if term.text in field_text(papers[i], term.field)),
                self._count,
            )
            self._remember(key, found)
        return found

    def _containing(self, field: str | None, needle: str) -> int:
        key = (field, needle, False)
        bits = self._cache.get(key)
        if bits is None:
            bits = 0
            for start, part in self._parts:
                found = part.containing(field, needle)
                if found:
                    bits |= found << start
            self._remember(key, bits)
        return bits

    def _remember(self, key: tuple[str | None, str, bool], bits: int) -> None:
        if len(self._cache) >= TERM_CACHE_SIZE:
            self._cache.pop(next(iter(self._cache)))
        self._cache[key] = bits
