"""The reading screen's look at the Hub: once the cursor rests on a paper, its models,
datasets and Spaces are looked up in a worker (never a whole list, never while ``j``/``k``
run), kept in the library, and painted in the abstract pane and on the paper's row.
A mixin of ``MainScreen``."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.message import Message
from textual.timer import Timer

from reader.session import ArtefactLookup, HubNote, LookupOutcome

if TYPE_CHECKING:
    from reader.model import Paper
    from reader.sources import PaperLink
    from reader.screens.main import MainScreen

SETTLE = 0.4
"""Seconds the cursor must rest on a paper before it is looked up: holding ``j`` asks nothing."""

_LINK_LABEL = {"model": "model", "dataset": "dataset", "space": "Space"}


class ArtefactsLooked(Message):
    """A lookup of ``paper``'s artefacts ended (``outcome`` says how)."""

    def __init__(self, paper: Paper, outcome: LookupOutcome) -> None:
        super().__init__()
        self.paper = paper
        self.outcome = outcome


class HubActions:
    """Looking up the highlighted paper's artefacts, for ``MainScreen``."""

    hub: ArtefactLookup
    _hub_timer: Timer | None = None

    def hub_note(self: MainScreen, paper: Paper) -> HubNote | None:
        """What the pane says of ``paper``'s artefacts (nothing before the store is open)."""
        return self.hub.note(paper) if self.store.is_open else None

    def on_hub(self: MainScreen, paper: Paper) -> bool:
        """Whether ``paper``'s row shows the Hub mark: it is known to have any artefact
        (nothing is known before the store is open)."""
        return self.store.is_open and self.store.artefacts.totals(paper.arxiv_id) is not None

    def hub_links(self: MainScreen, paper: Paper) -> list[PaperLink]:
        """The Hub pages of what cites ``paper``, best first within each kind, for the links view."""
        from reader.sources import KINDS, PaperLink

        kept = self.hub.kept(paper) if self.store.is_open else None
        if kept is None or kept.artefacts is None:
            return []
        return [PaperLink(_LINK_LABEL[kind], artefact.url) for kind in KINDS for artefact in kept.artefacts.of(kind)]

    def cursor_rests_soon(self: MainScreen, paper: Paper | None) -> None:
        """The cursor moved to ``paper``: look it up once it has rested there."""
        if self._hub_timer is not None:
            self._hub_timer.stop()
            self._hub_timer = None
        if paper is not None and paper.arxiv_id:
            self._hub_timer = self.set_timer(SETTLE, partial(self._cursor_rested, paper))

    def _cursor_rested(self: MainScreen, paper: Paper) -> None:
        self._hub_timer = None
        if self.paper_list.current is not paper:
            return
        if not self.store.is_open:  # painted from the saved first screen: the store opens soon
            self.cursor_rests_soon(paper)
            return
        if not self.hub.wants_lookup(paper):
            return
        self.hub.started(paper)
        self._show_abstract(paper, keep_scroll=True)
        self.run_worker(partial(self._look_up, paper), name="look_up_artefacts", group="artefacts",
                        description="look up the paper's models, datasets and Spaces", exclusive=True, thread=True)

    def _look_up(self: MainScreen, paper: Paper) -> None:
        self.post_message(ArtefactsLooked(paper, self.hub.look_up(paper)))

    def on_artefacts_looked(self: MainScreen, message: ArtefactsLooked) -> None:
        outcome = message.outcome
        if outcome.say:
            self.notify(outcome.say, severity="warning", timeout=10, markup=False)
        if outcome.wait is not None:  # the rate limit: the paper then under the cursor is asked again
            self.set_timer(outcome.wait + 0.5, lambda: self.cursor_rests_soon(self.paper_list.current))
        self.paper_list.refresh_paper(message.paper)
        if self.paper_list.current is message.paper:
            self._show_abstract(message.paper, keep_scroll=True)
