"""The reading screen's workers: lists loaded and their indexes built off the event loop."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from reader.collector import paused_collection
from reader.model import Paper
from reader.session import LibraryStream, Listing, Request, build_index, load_in_worker

if TYPE_CHECKING:
    from reader.library import Store, Tally
    from reader.search import SearchIndex
    from reader.sources import LiveSource

TALLIED_IN_WORKER_FROM = 2000
"""Papers from which a list's marks are counted in the worker (~2 ms per 2,000 papers)."""


class Loaded(Message):
    """A list arrived from the loader worker (``partial`` while the library streams in),
    a long one with its marks counted there (``tally``) rather than in the screen's frame."""

    def __init__(self, listing: Listing, partial: bool = False, view: str = "", tally: Tally | None = None) -> None:
        super().__init__()
        self.listing = listing
        self.partial = partial
        self.view = view  # the name of the view it was loaded for
        self.tally = tally


class LoadFailed(Message):
    """The list could not be loaded: ``error`` says why, in one line."""

    def __init__(self, error: str, view: str = "") -> None:
        super().__init__()
        self.error = error
        self.view = view


class IndexReady(Message):
    """The search index for ``papers`` was built off the event loop."""

    def __init__(self, papers: Sequence[Paper], index: SearchIndex) -> None:
        super().__init__()
        self.papers = papers
        self.index = index


class ListLoader:
    """Loads lists and builds indexes in ``screen``'s workers, which post ``Loaded``,
    ``LoadFailed`` and ``IndexReady`` to it. A new load or build cancels the one before.

    The library's newest month is read at once (``newest_month``) for the first frame; the
    rest streams in once the screen says a partial list has been ``painted``.
    """

    def __init__(self, screen: Screen[None], store: Store, live: LiveSource | None, today: date | None) -> None:
        self._screen = screen
        self._store = store
        self._live = live
        self._today = today
        self._painted = threading.Event()
        self._library: LibraryStream | None = None  # its newest month is on screen, the rest to come

    def newest_month(self) -> Listing | None:
        """The library's newest month (None when it is empty); ``ReaderError`` when it
        cannot be read, and the next load then reads the library from the start."""
        stream = LibraryStream(self._store, self._painted)
        newest = stream.newest()
        self._library = stream
        return newest

    def painted(self) -> None:
        """A partial list handed over has reached the terminal: the library reads on."""
        self._painted.set()

    def load(self, request: Request, view: str = "") -> None:
        """Load ``request`` for the view named ``view``: a new load for the same view
        cancels the one before, loads for other views go on side by side."""
        self._screen.run_worker(
            partial(self._load, request, view),
            name="load", group=f"load:{view}", description="load a list", exclusive=True, thread=True,
        )

    def _load(self, request: Request, view: str) -> None:
        worker = get_current_worker()
        library = LibraryStream(self._store, self._painted)
        if request.kind == "library" and self._library is not None:
            library, self._library = self._library, None

        def deliver(listing: Listing, partial: bool) -> None:
            long = len(listing.papers) >= TALLIED_IN_WORKER_FROM and self._store.is_open
            tally = self._store.tally(listing.papers) if long else None
            self._screen.post_message(Loaded(listing, partial, view, tally))

        with paused_collection():
            load_in_worker(
                request, self._store, self._live, library=library, deliver=deliver,
                failed=lambda error: self._screen.post_message(LoadFailed(error, view)),
                cancelled=lambda: worker.is_cancelled, today=self._today,
            )

    def build_index(self, papers: Sequence[Paper]) -> None:
        """Index ``papers`` in a worker; ``IndexReady`` brings the index back."""
        # A description is given so Textual does not repr() 50,000 papers to name the worker.
        self._screen.run_worker(
            partial(self._build_index, papers),
            name="build_index", group="index", description="build the search index", exclusive=True, thread=True,
        )

    def _build_index(self, papers: Sequence[Paper]) -> None:
        worker = get_current_worker()
        with paused_collection():
            index = build_index(papers, self._store, lambda: worker.is_cancelled)
        if index is not None and not worker.is_cancelled:
            self._screen.post_message(IndexReady(papers, index))
