"""Opening the store after the first frame: the library's first screen paints without it.

The first screen is either the one saved at the last exit (its marks true) or the
database's newest rows with their marks pending (``FirstScreen.marks_pending``). Right
after the first frame, or at once when a key needs the marks, the store opens: its marks
replace the first screen's in every view, and pending rows are repainted with them. A
mixin of ``MainScreen``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.model import ReaderError

if TYPE_CHECKING:
    from reader.screens.main import MainScreen


class StoreOpening:
    """``MainScreen``'s opening of the store it painted its first screen without."""

    @property
    def marks_pending(self: MainScreen) -> bool:
        """Whether the rows on screen wait for the marks (the header says so)."""
        return self._first_screen is not None and self._first_screen.marks_pending

    def _open_store(self: MainScreen) -> None:
        """After the first screen's frame: open the store, then load the library (unless a
        key has started a load already)."""
        if self._ensure_store() and not self._load_started:
            self._start()

    def _ensure_store(self: MainScreen) -> bool:
        """Open the store the first screen was painted without, at once when a key needs the
        marks; False when it cannot be opened (the reader is exiting with the error)."""
        if self._first_screen is None:
            return self.store.is_open
        try:
            warnings = self.store.open()
        except ReaderError as error:
            self.app.exit(return_code=2, message=f"paper-reader: error: {error}")
            return False
        pending = self._first_screen.marks_pending
        self._first_screen = None
        for warning in warnings:
            self.notify(warning, severity="warning", timeout=15)
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
