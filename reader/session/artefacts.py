"""Knowing a paper's models, datasets and Spaces: the kept answer first, Hugging Face when
there is none or it is over a day old; a 404 kept like an answer; a rate limit waited out.

Textual-free: the screen asks ``wants_lookup`` as the cursor settles, runs ``look_up`` in a
worker, and paints ``note``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple, Protocol

from reader.model import FetchError, Paper, ReaderError

if TYPE_CHECKING:
    from reader.library import ArtefactTable, KeptArtefacts
    from reader.sources import Artefacts, LiveSource

FAILURE_PAUSE = 30.0
"""Seconds without lookups after one failed for want of a network: each would fail too."""


class HubNote(NamedTuple):
    """What the abstract pane says of a paper's artefacts: the answer when there is one,
    and one line (the totals, or why there are none to show)."""

    line: str
    artefacts: Artefacts | None = None


class LookupOutcome(NamedTuple):
    """A lookup's end: what was kept, or why nothing was; ``wait`` is set when Hugging Face's
    rate limit was met, ``say`` is a notice the user has not had yet."""

    kept: KeptArtefacts | None = None
    error: str | None = None
    wait: float | None = None
    say: str | None = None


class HasArtefacts(Protocol):
    """Where the answers are kept (``Store`` fits). Its table is reached only when a paper
    is looked up: the table's module opens SQLite, which the first frame does not need."""

    @property
    def artefacts(self) -> ArtefactTable: ...


class ArtefactLookup:
    """One paper at a time, as the reader highlights it; never a whole list."""

    def __init__(self, store: HasArtefacts, live: LiveSource | None,
                 clock: Callable[[], float] = time.time) -> None:
        self._store = store
        self._live = live
        self._clock = clock
        self._paused_until = 0.0
        self._rate_limited = False  # why lookups are paused: the rate limit, else the network
        self._pause_said = False
        self._failures: dict[str, str] = {}  # arXiv id → why its lookup failed, this session
        self._said: set[str] = set()  # what could not be kept, said once a session
        self._unkept: dict[str, KeptArtefacts] = {}  # answers the library could not keep
        self._asking: str | None = None

    def having(self, kind: str) -> frozenset[str]:
        """The arXiv ids of the papers known to have at least one ``kind`` of artefact."""
        return self._store.artefacts.having(kind)

    @property
    def paused_for(self) -> float:
        """Seconds until lookups start again (0: they run)."""
        return max(0.0, self._paused_until - self._clock())

    def kept(self, paper: Paper) -> KeptArtefacts | None:
        if not paper.arxiv_id:
            return None
        try:
            kept = self._store.artefacts.get(paper.arxiv_id)
        except ReaderError:
            kept = None
        return kept or self._unkept.get(paper.arxiv_id)

    def wants_lookup(self, paper: Paper) -> bool:
        """Whether to ask Hugging Face about ``paper`` now: online, not paused, and nothing
        kept or only an answer older than a day."""
        if self._live is None or not paper.arxiv_id or self.paused_for:
            return False
        kept = self.kept(paper)
        return kept is None or kept.is_stale(self._clock())

    def started(self, paper: Paper) -> None:
        """The screen is looking ``paper`` up (its pane says so)."""
        self._asking = paper.arxiv_id

    def look_up(self, paper: Paper) -> LookupOutcome:
        """Ask Hugging Face and keep the answer (in a worker thread: it waits on the network)."""
        assert self._live is not None and paper.arxiv_id
        arxiv_id = paper.arxiv_id
        try:
            artefacts = self._live.fetch_artefacts(arxiv_id)
        except FetchError as error:
            return self._failed(arxiv_id, error)
        finally:
            self._asking = None
        self._failures.pop(arxiv_id, None)
        try:
            kept = self._store.artefacts.put(arxiv_id, artefacts, self._clock())
        except ReaderError as error:
            from reader.library import KeptArtefacts  # the table's module opens SQLite: not before the first frame

            message = f"the artefacts could not be kept for offline reading: {error}"
            say = None if message in self._said else message
            self._said.add(message)
            kept = self._unkept[arxiv_id] = KeptArtefacts(self._clock(), artefacts)
            return LookupOutcome(kept, error=message, say=say)
        return LookupOutcome(kept)

    def _failed(self, arxiv_id: str, error: FetchError) -> LookupOutcome:
        self._failures[arxiv_id] = str(error)
        if error.status == 429:
            wait = error.retry_after if error.retry_after is not None else FAILURE_PAUSE
            self._paused_until = self._clock() + wait
            self._rate_limited = True
            say = None
            if not self._pause_said:  # said once; the pane shows the wait from then on
                self._pause_said = True
                say = (f"Hugging Face's rate limit was reached: models, datasets and Spaces are "
                       f"looked up again in {wait:.0f} s")
            return LookupOutcome(error=str(error), wait=wait, say=say)
        if error.status is None:  # no answer at all: offline, or the host is unreachable
            self._paused_until = self._clock() + FAILURE_PAUSE
            self._rate_limited = False
        return LookupOutcome(error=str(error))

    def note(self, paper: Paper) -> HubNote | None:
        """What the pane says now of ``paper``'s artefacts (None: nothing to say, for a paper
        with no arXiv id or one never looked up while offline)."""
        if not paper.arxiv_id:
            return None
        kept = self.kept(paper)
        now = self._clock()
        if kept is not None:
            if kept.artefacts is None:
                return HubNote("not on the Hub: Hugging Face has not indexed this paper")
            line = kept.artefacts.summary()
            if kept.is_stale(now):
                line += f" (as of {datetime.fromtimestamp(kept.fetched_at):%d %b %Y})"
            return HubNote(line, kept.artefacts)
        if self._asking == paper.arxiv_id:
            return HubNote("looking up models, datasets and Spaces…")
        if self._live is None:
            return None  # offline, a file or the sample: nothing to say until something is kept
        if self.paused_for and self._rate_limited:
            return HubNote(f"waiting {self.paused_for:.0f} s for Hugging Face's rate limit")
        failure = self._failures.get(paper.arxiv_id)
        if failure is not None:
            return HubNote(f"not looked up: {failure}")
        if self.paused_for:
            return HubNote(f"looked up again in {self.paused_for:.0f} s")
        return HubNote("looking up models, datasets and Spaces…")
