"""One reading of one list: what is shown of it, the filters, the counts and the cursor.

A plain object, so a screen only binds keys to it and paints what it says, and so several
of them (one a view) can be held side by side, each with its own list, period, filters
and cursor. It learns the marks through ``MarkKeeper`` (the ``Store``, or the first
screen's cache until the store opens) and writes them through ``MarkWriter``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from operator import is_
from typing import TYPE_CHECKING, Protocol

from reader.library import FIRST_SCREEN_ROWS
from reader.model import Paper
from reader.search import Query, parse_query, scan
from reader.session.loader import LIBRARY_TITLE, Listing

if TYPE_CHECKING:
    from reader.library import Mark, Store, Tally
    from reader.search import SearchIndex
    from reader.sources import Period

INDEXED_FROM = 2000  # papers; a shorter list is scanned paper by paper in a few ms
DATABASE_INDEXED_FROM = 200  # library papers, whose abstracts a scan would read from disk
SCAN_LIMIT = 10_000  # papers a search scans while the list's index is not ready (~40 ms)


class MarkKeeper(Protocol):
    """Where a session reads the marks (``Store`` and ``FirstScreen`` fit)."""

    def mark(self, paper: Paper) -> Mark: ...

    def tally(self, papers: Sequence[Paper]) -> Tally: ...


class HubKnowledge(Protocol):
    """What is known of papers' artefacts on the Hub (the store's ``ArtefactTable`` and ``ArtefactLookup`` fit)."""

    def having(self, kind: str) -> frozenset[str]: ...


class _NothingKnown:
    def having(self, kind: str) -> frozenset[str]:
        return frozenset()


class MarkWriter(Protocol):
    """Where a session changes a mark (``Store`` fits)."""

    def mark(self, paper: Paper) -> Mark: ...

    def set_read(self, paper: Paper, value: bool) -> Mark: ...

    def set_bookmarked(self, paper: Paper, value: bool) -> Mark: ...


@dataclass(slots=True)
class Counts:
    """What the header counts: the list's papers, those shown, and the unread and
    bookmarked among the list's papers (whatever the filters show)."""

    total: int = 0
    shown: int = 0
    unread: int = 0
    bookmarked: int = 0


@dataclass(eq=False)
class PendingSearch:
    """A search the session's ``index`` answers off the event loop (``answer``); the
    session takes the positions back with ``take_answer`` unless a newer one replaced it
    (and ``cancel``-led it: a newer search should not wait for a stale one to finish)."""

    papers: Sequence[Paper]
    index: SearchIndex
    query: Query
    stale: bool = False

    def answer(self, cancelled: Callable[[], bool] = lambda: False) -> list[int] | None:
        """The positions of the papers matching; ``None`` once stale or ``cancelled``."""
        return self.index.answer(self.query, lambda: self.stale or cancelled())

    def cancel(self) -> None:
        """A newer search replaced this one: stop its query, even while it runs."""
        self.stale = True
        self.interrupt()

    def interrupt(self) -> None:
        """Stop the query running for this search (its worker was cancelled); the search
        itself still waits, and is answered by the next ``answer``."""
        stop = getattr(self.index, "interrupt", None)
        if stop is not None:
            stop()


class ReadingSession:
    """A list (``listing``) and how it is being read.

    ``shown`` is what the filters leave of ``papers``: the typed ``search`` plus the
    unread-only and bookmarks-only toggles, answered by the ``index`` once it is ready for
    these papers, paper by paper (``scan``) until then. ``cursor`` is the row of ``shown``
    under the cursor; it stays on its paper while the shown list changes. A search the
    index would take long over waits in ``pending`` (``shown`` is the last answer meanwhile)
    until its answer is taken with ``take_answer``.
    """

    def __init__(self, marks: MarkKeeper, hub: HubKnowledge | None = None) -> None:
        self.marks = marks
        self.hub = hub or _NothingKnown()
        self.listing: Listing | None = None
        self.papers: Sequence[Paper] = ()
        self.shown: Sequence[Paper] = ()
        self.index: SearchIndex | None = None
        self.typed = ""
        self.search = Query()
        self.unread_only = False
        self.bookmarks_only = False
        self.cursor = 0
        self.counts = Counts()
        self.scanned = 0  # while indexing, the newest papers the filters looked at; 0: all
        self.loading = False
        self.pending: PendingSearch | None = None
        self._wants_index = False
        # While the library streams in: the index of the list shown before, the newest
        # papers of this one (the same objects, first), which answers for them meanwhile.
        self._newest_index: SearchIndex | None = None
        # (key, paper the cursor waits on): the next lists hold other paper objects, and
        # the cursor goes to the paper of that key unless it has been moved meanwhile.
        self._following: tuple[str, Paper | None] | None = None

    # what the header says ----------------------------------------------------------------

    @property
    def title(self) -> str | None:
        return self.listing.title if self.listing is not None else None

    @property
    def notice(self) -> str | None:
        return self.listing.notice if self.listing is not None else None

    @property
    def period(self) -> Period | None:
        """The period the list stands for (what ``[``/``]`` and refresh step from)."""
        return self.listing.period if self.listing is not None else None

    @property
    def is_library(self) -> bool:
        """Whether the list is the whole library (whose index is kept between sessions)."""
        return self.title == LIBRARY_TITLE

    @property
    def indexing(self) -> bool:
        """True while the list wants an index that is not ready: search scans meanwhile."""
        return self._wants_index and self.index is None

    @property
    def searching(self) -> bool:
        return not self.search.is_empty

    @property
    def filters(self) -> tuple[str, ...]:
        """The toggles in force, as the header names them."""
        return tuple(name for name, on in (("unread only", self.unread_only), ("bookmarks only", self.bookmarks_only)) if on)

    # the cursor --------------------------------------------------------------------------

    @property
    def cursor_paper(self) -> Paper | None:
        if 0 <= self.cursor < len(self.shown):
            return self.shown[self.cursor]
        return None

    @property
    def cursor_key(self) -> str | None:
        """The key of the paper under the cursor (the same paper in a reloaded list)."""
        paper = self.cursor_paper
        return paper.key if paper is not None else None

    def note_cursor(self, row: int) -> None:
        """The cursor moved to ``row`` of ``shown``."""
        self.cursor = row

    def follow_cursor_key(self) -> None:
        """Keep the cursor on its paper when the next lists hold other objects for it.

        Once the store opens, the first screen's papers give way to the store's: the
        cursor goes to the paper of the same key among the first rows of the next list
        (or, while the library streams in, of a later one), unless it was moved since.
        A cursor on the first row needs no following.
        """
        paper = self.cursor_paper
        if paper is not None and self.cursor > 0:
            self._following = (paper.key, paper)

    def _follow(self, before: Paper | None, partial: bool) -> None:
        key, waiting_on = self._following  # type: ignore[misc]
        self._following = None
        if before is not waiting_on:
            return  # moved by the reader since: left where it is
        for row, paper in enumerate(self.shown[:FIRST_SCREEN_ROWS]):
            if paper.key == key:
                self.cursor = row
                return
        if partial:  # the paper may come with a later part of the library
            self._following = (key, self.cursor_paper)

    def step_unread(self, direction: int) -> tuple[int | None, bool]:
        """The row of the next (``direction`` 1) or previous (-1) unread paper shown, and
        whether the search wrapped past the end of the list to find it (None: none unread)."""
        shown, mark = self.shown, self.marks.mark
        count = len(shown)
        for step in range(1, count + 1):
            row = self.cursor + direction * step
            if 0 <= row < count:
                if not mark(shown[row]).read:
                    return row, False
            elif not mark(shown[row % count]).read:
                return row % count, True
        return None, False

    # what is shown -----------------------------------------------------------------------

    def use_marks(self, marks: MarkKeeper) -> None:
        """Read the marks from ``marks`` from now on (the store, once it is open)."""
        self.marks = marks

    def show(self, listing: Listing, *, partial: bool = False, tally: Tally | None = None) -> None:
        """Read ``listing`` (``partial`` while the rest of it is still coming): the counts
        are taken afresh (or from ``tally``, when one was counted already), the filters
        kept, and the cursor stays on its paper if listed."""
        before = self.cursor_paper
        self._newest_index = self.index if self.index is not None and _extends(listing.papers, self.papers) else None
        self.listing = listing
        self.papers = listing.papers
        self.index = None
        self.loading = partial
        wants_index = len(self.papers) > INDEXED_FROM and not partial
        if not wants_index and len(self.papers) > DATABASE_INDEXED_FROM:
            from reader.search import is_indexable  # its module opens SQLite: not before the first frame

            wants_index = is_indexable(self.papers)
        self._wants_index = wants_index
        unread, bookmarked, _, _ = tally or self.marks.tally(self.papers)
        self.counts = Counts(total=len(self.papers), unread=unread, bookmarked=bookmarked)
        self._refilter(before)
        if self._following is not None:
            self._follow(before, partial)

    def set_search(self, typed: str) -> None:
        """What the search bar now says."""
        self.typed = typed
        self.search = parse_query(typed)
        self._refilter(self.cursor_paper)

    def toggle_unread_only(self) -> None:
        self.unread_only = not self.unread_only
        self._refilter(self.cursor_paper)

    def toggle_bookmarks_only(self) -> None:
        self.bookmarks_only = not self.bookmarks_only
        self._refilter(self.cursor_paper)

    def effective_query(self) -> Query:
        """The typed search with the toggles added as ``is:`` filters."""
        query = replace(self.search, states=list(self.search.states))
        if self.unread_only:
            query.states.append("unread")
        if self.bookmarks_only:
            query.states.append("bookmarked")
        return query

    def filtered(self, query: Query) -> Sequence[Paper]:
        """The papers answering ``query``, in list order: through the index when it is
        ready, else paper by paper (a short list, or one whose index is being built)."""
        if query.is_empty:
            return self.papers
        if self.index is not None:
            positions = self.index.filter(query)
        elif self.indexing and self._newest_index is not None:
            # The newest papers answer through the last list's index (the header says so),
            # rather than be read again one by one; the whole list when its index arrives.
            self.scanned = len(self._newest_index.papers)
            positions = self._newest_index.filter(query)
        elif self.indexing and len(self.papers) > SCAN_LIMIT:
            # Until the index is ready, the newest papers answer at once (and the header
            # says so); the whole list answers when the index arrives.
            self.scanned = SCAN_LIMIT
            positions = scan(self.papers[:SCAN_LIMIT], query, self.marks.mark)
        else:
            positions = scan(self.papers, query, self.marks.mark)
        return self._on_hub_as_asked(positions, query)

    def _on_hub_as_asked(self, positions: Sequence[int], query: Query) -> list[Paper]:
        """The papers at ``positions`` that ``query``'s ``has:model`` … filters let through
        (the Hub's answers are few: one look a match)."""
        papers = self.papers
        for kind, wanted in query.hub:
            known = self.hub.having(kind)
            positions = [i for i in positions if (papers[i].arxiv_id in known) == wanted]
        return [papers[i] for i in positions]

    def _refilter(self, keep: Paper | None) -> None:
        """Recompute ``shown``; the cursor stays on ``keep`` when it is still shown, else
        goes to the top. Found by identity: comparing papers field by field (or by their
        keys) would cost a scan of the whole list per keystroke."""
        if self.pending is not None:
            self.pending.cancel()
            self.pending = None
        query = self.effective_query()
        index = self.index
        if index is not None and not query.is_empty and index.answers_later(query):
            self.pending = PendingSearch(self.papers, index, query)
            return
        self.scanned = 0
        self._show_found(self.filtered(query), keep)

    def take_answer(self, pending: PendingSearch, positions: Sequence[int]) -> bool:
        """Show ``positions``, the answer to ``pending``, if that is still the search this
        session waits on; False when a newer search, list or index replaced it."""
        if pending is not self.pending or pending.papers is not self.papers or pending.index is not self.index:
            return False
        self.pending = None
        self.scanned = 0
        self._show_found(self._on_hub_as_asked(positions, pending.query), self.cursor_paper)
        return True

    def _show_found(self, found: Sequence[Paper], keep: Paper | None) -> None:
        self.shown = found
        self.counts.shown = len(self.shown)
        row = 0
        if keep is not None:
            row = next((i for i, paper in enumerate(self.shown) if paper is keep), 0)
        self.cursor = row

    def take_index(self, papers: Sequence[Paper], index: SearchIndex) -> bool:
        """Use ``index``, built for ``papers``, if those are still this session's papers and
        it has none yet (filtering the whole list again when only its newest papers were
        looked at); False when it came too late for them."""
        if papers is not self.papers or self.index is not None:
            return False
        self.index = index
        self._newest_index = None
        if self.scanned:  # what was shown came from the newest papers only
            self._refilter(self.cursor_paper)
        return True

    # marks -------------------------------------------------------------------------------

    def change_mark(self, store: MarkWriter, paper: Paper, *, read: bool | None = None,
                    bookmarked: bool | None = None) -> Mark:
        """Set ``paper``'s read and/or bookmarked state in ``store`` and note the change."""
        before = store.mark(paper)
        mark = before
        if read is not None:
            mark = store.set_read(paper, read)
        if bookmarked is not None:
            mark = store.set_bookmarked(paper, bookmarked)
        self.note_mark(paper, before, mark)
        return mark

    def note_mark(self, paper: Paper, before: Mark, after: Mark) -> None:
        """Take in that ``paper``, one of this session's papers, went from ``before`` to
        ``after``: the counts and the index stay right without counting again. The shown
        list is left as it is, so the paper does not vanish from under the cursor."""
        self.counts.unread += int(before.read) - int(after.read)
        self.counts.bookmarked += int(after.bookmarked) - int(before.bookmarked)
        if self.index is not None:
            self.index.note_mark(paper, before, after)

    def recount(self) -> None:
        """Count the unread and bookmarked papers afresh (marks changed elsewhere)."""
        self.counts.unread, self.counts.bookmarked, _, _ = self.marks.tally(self.papers)


def _extends(papers: Sequence[Paper], newest: Sequence[Paper]) -> bool:
    """Whether ``papers`` starts with ``newest`` (the very objects) and holds more."""
    count = len(newest)
    return 0 < count < len(papers) and all(map(is_, newest, papers[:count]))


def build_index(papers: Sequence[Paper], store: Store, cancelled: Callable[[], bool]) -> SearchIndex | None:
    """The index of ``papers`` (``None`` when ``cancelled`` says stop). Papers of the
    library (any list of them) are searched in its database, at once and without holding
    their text; other lists are indexed in memory."""
    from reader.search import DatabaseIndex, SearchIndex, is_indexable

    if is_indexable(papers):
        return DatabaseIndex.open(papers, store, store.papers.connect, cancelled)
    return SearchIndex.build(papers, store, cancelled)
