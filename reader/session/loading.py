"""Loading a list off the event loop, handed over as it comes: the library month by month.

A first frame without papers and a second with them cost two full renders, so the newest
month of the library (one shard: ~20 ms) is read before the first frame and the rest
streams in from a loader thread. That thread shares the interpreter with the event loop:
it waits until a list it handed over has reached the terminal before it reads on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING

from reader.model import Paper, ReaderError
from reader.session.loader import LIBRARY_TITLE, Listing, Request, load

if TYPE_CHECKING:
    from reader.library import Store
    from reader.sources import LiveSource

PAINT_WAIT = 2.0  # seconds at most to wait for a frame before reading on anyway
EMPTY_NOTICE = "The library is empty: showing the bundled sample."

Deliver = Callable[[Listing, bool], object]  # (listing, partial)


def library_listing(papers: list[Paper]) -> Listing:
    """The library as a list to show: offline, with no period to step from."""
    return Listing(papers=papers, title=LIBRARY_TITLE, period=None, notice=None, offline=True)


class LibraryStream:
    """One reading of the library; ``painted`` is set by the UI once a partial list it
    was handed has reached the terminal."""

    def __init__(self, store: Store, painted: threading.Event) -> None:
        self._store = store
        self._painted = painted
        self._chunks: Iterator[list[Paper]] | None = None
        self._shown: list[Paper] = []

    def newest(self) -> Listing | None:
        """The newest month, to show before the first frame (None: the library is empty).
        Raises ``ReaderError`` when its shard cannot be read."""
        chunks = self._store.iter_library()
        self._shown = list(next(chunks, []))
        self._chunks = chunks  # kept only once read: after a failure ``run`` starts afresh
        return library_listing(list(self._shown)) if self._shown else None

    def run(self, deliver: Deliver, cancelled: Callable[[], bool], today: date | None = None) -> None:
        """Read the rest of the library (all of it when ``newest`` was not asked), handing
        the first month over when nothing was shown yet, then the whole library; the
        bundled sample when the library is empty. Stops when ``cancelled`` says so."""
        chunks = self._chunks if self._chunks is not None else self._store.iter_library()
        shown = self._shown
        self._chunks, self._shown = None, []
        papers = list(shown)
        if papers:
            self._painted.wait(timeout=PAINT_WAIT)
        for chunk in chunks:
            if cancelled():
                return
            papers.extend(chunk)
            if not shown and papers:
                shown = papers
                self._painted.clear()
                deliver(library_listing(list(papers)), True)
                self._painted.wait(timeout=PAINT_WAIT)
        if not papers:
            listing = load(Request("sample"), self._store, None, today=today)
            listing.notice = EMPTY_NOTICE
            deliver(listing, False)
            return
        deliver(library_listing(papers), False)


def load_in_worker(
    request: Request, store: Store, live: LiveSource | None, *, library: LibraryStream,
    deliver: Deliver, failed: Callable[[str], object], cancelled: Callable[[], bool],
    today: date | None = None,
) -> None:
    """Load ``request`` (the library through ``library``) and ``deliver`` it, or say in
    one line why it ``failed``: no error, not even a bug, takes the reader down."""
    try:
        if request.kind == "library":
            library.run(deliver, cancelled, today)
            return
        listing = load(request, store, live, today=today)
    except ReaderError as error:
        failed(str(error))
        return
    except Exception as error:  # a bug must not take the reader and its marks down
        failed(f"Could not load the list: {error!r}")
        return
    if not cancelled():
        deliver(listing, False)
