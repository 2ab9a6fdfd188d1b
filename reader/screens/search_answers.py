"""The reading screen's searches answered off the event loop.

A library search with a term under three characters reads every row's text (~0.4 s at
100,000 papers): run on the event loop, the keys typed meanwhile would wait behind it. The
session leaves such a search ``pending``; this mixin of ``MainScreen`` answers it in a
worker, stops it (``interrupt``) as soon as a newer search replaces it, and repaints the
list and its counts when the newest answer arrives.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

if TYPE_CHECKING:
    from reader.screens.main import MainScreen
    from reader.session.reading import PendingSearch

SEARCH_GROUP = "search"


class SearchAnswered(Message):
    """The answer to ``pending``: the positions of its papers in the list it searched."""

    def __init__(self, pending: PendingSearch, positions: Sequence[int]) -> None:
        super().__init__()
        self.pending = pending
        self.positions = positions


def _answer(screen: Screen[None], pending: PendingSearch) -> None:
    worker = get_current_worker()
    positions = pending.answer(lambda: worker.is_cancelled)
    if positions is not None and not worker.is_cancelled:
        screen.post_message(SearchAnswered(pending, positions))


class SearchAnswers:
    """Answers the shown session's pending search in a worker, for ``MainScreen``."""

    _search_running: PendingSearch | None = None

    def follow_search(self: MainScreen) -> None:
        """Answer the shown session's pending search, once; stop one it no longer waits on."""
        pending, running = self.session.pending, self._search_running
        if pending is running:
            return
        if running is not None:
            # Replaced (then already cancelled by its session) or of another view's session
            # (answered again when that view is shown).
            self.workers.cancel_group(self, SEARCH_GROUP)
            running.interrupt()
        self._search_running = pending
        if pending is not None:
            self.run_worker(
                partial(_answer, self, pending),
                name="search", group=SEARCH_GROUP, description="answer a search", exclusive=True, thread=True,
            )

    def on_search_answered(self: MainScreen, message: SearchAnswered) -> None:
        if message.pending is self._search_running:
            self._search_running = None
        self._note_cursor()
        if self.session.take_answer(message.pending, message.positions):
            self._show_papers()
