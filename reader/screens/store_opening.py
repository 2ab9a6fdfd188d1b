"""Opening the store after the first frame: the library's first screen paints without it.

The first screen is either the one saved at the last exit (its marks true) or the
database's newest rows with their marks pending (``FirstScreen.marks_pending``). Right
after the first frame the store opens in a worker, or at once when a key needs the marks:
its marks replace the first screen's in every view, and pending rows are repainted with
them. A mixin of ``MainScreen``.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.message import Message
from textual.screen import Screen

from reader.model import ReaderError

if TYPE_CHECKING:
    from reader.library import Store
    from reader.screens.main import MainScreen


class StoreOpened(Message):
    """The store opened in the screen's worker (``error``: it could not be)."""

    def __init__(self, warnings: list[str], error: ReaderError | None = None) -> None:
        super().__init__()
        self.warnings = warnings
        self.error = error


def _open_in_worker(screen: Screen[None], store: Store) -> None:
    try:
        warnings = store.open()
    except ReaderError as error:
        screen.post_message(StoreOpened([], error))
    else:
        screen.post_message(StoreOpened(warnings))


class StoreOpening:
    """``MainScreen``'s opening of the store it painted its first screen without."""

    @property
    def marks_pending(self: MainScreen) -> bool:
        """Whether the rows on screen wait for the marks (the header says so)."""
        return self._first_screen is not None and self._first_screen.marks_pending

    def _open_store(self: MainScreen) -> None:
        """After the first screen's frame: open the store in a worker (parsing the marks and
        the saved lists takes ~0.2 s at 50,000 papers, and keys typed meanwhile must not
        wait), then load the library (unless a key has started a load already)."""
        self.run_worker(
            partial(_open_in_worker, self, self.store),
            name="open_store", group="store", description="open the store", thread=True,
        )

    def on_store_opened(self: MainScreen, message: StoreOpened) -> None:
        if message.error is not None:
            self._exit_with(message.error)
            return
        if self._adopt_store(message.warnings) and not self._load_started:
            self.start_load(self.request)  # the worker hands its newest month over first

    def _ensure_store(self: MainScreen) -> bool:
        """Open the store the first screen was painted without, at once when a key needs the
        marks (waiting for the worker when it is opening it); False when it cannot be opened
        (the reader is exiting with the error)."""
        if self._first_screen is None:
            return self.store.is_open
        try:
            warnings = self.store.open()
        except ReaderError as error:
            self._exit_with(error)
            return False
        return self._adopt_store(warnings)

    def _exit_with(self: MainScreen, error: ReaderError) -> None:
        self.app.exit(return_code=2, message=f"paper-reader: error: {error}")

    def _adopt_store(self: MainScreen, warnings: list[str]) -> bool:
        """Read the marks from the open store from now on, in every view (once)."""
        for warning in warnings:
            self.notify(warning, severity="warning", timeout=15)
        if self._first_screen is None:
            return self.store.is_open
        pending = self._first_screen.marks_pending
        self._first_screen = None
        self._merged_seen = self.store.marks.merged_version  # what the rows show from here on
        self._note_cursor()
        for session in self.views.all_sessions():
            session.use_marks(self.store)
        if pending:
            self._show_true_marks()
        self.session.follow_cursor_key()  # the store's papers are other objects than the first screen's
        return True

    def _show_true_marks(self: MainScreen) -> None:
        """Count, filter and repaint what was shown with pending marks by the store's."""
        for view in self.views.views:
            if view.listing is not None:
                self.views.show(view, view.listing, partial=view.session.loading)
                view.counted = self.store.marks_version
        if self.views.current.listing is not None:
            self._show_papers()
            paper = self.paper_list.current
            if paper is not None:
                self._show_abstract(paper, keep_scroll=True)
