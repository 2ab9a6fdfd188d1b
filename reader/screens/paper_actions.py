"""The reading screen's keys that act on the highlighted paper's links: copy, open, the
links list, copy as…, and the full text. A mixin of ``MainScreen``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.screens.copy_as_prompt import CopyAsPrompt
from reader.screens.full_text import FullTextScreen
from reader.screens.paper_links import LinksScreen
from reader.sources import paper_links

if TYPE_CHECKING:
    from reader.screens.main import MainScreen


class PaperActions:
    """Actions on the paper under the cursor, for ``MainScreen``."""

    def action_copy_code(self: MainScreen) -> None:
        if paper := self._current():
            self.links.copy_code(paper)

    def action_copy_hf_link(self: MainScreen) -> None:
        if paper := self._current():
            self.links.copy_hf_link(paper)

    def action_open_paper(self: MainScreen) -> None:
        if paper := self._current():
            self.links.open_paper(paper)

    def action_open_code(self: MainScreen) -> None:
        if paper := self._current():
            self.links.open_code(paper)

    def action_links(self: MainScreen) -> None:
        if paper := self._current():
            self.app.push_screen(LinksScreen(paper.title, paper_links(paper), self.links))

    def action_copy_as(self: MainScreen) -> None:
        if paper := self._current():
            self.app.push_screen(CopyAsPrompt(), lambda letter: letter and self.links.copy_as(paper, letter))

    def action_full_text(self: MainScreen) -> None:
        if paper := self._current():
            self.app.push_screen(FullTextScreen(paper, self.store.data_dir, self.live))
