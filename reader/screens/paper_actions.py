"""The reading screen's keys that act on the highlighted paper: copy, open, the links
list, copy as…, the full text and more like this. A mixin of ``MainScreen``. Each screen
is imported when its key is first pressed: none is on the way to the first frame."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.model import Paper
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
            from reader.screens.paper_links import LinksScreen
            from reader.sources import paper_links

            self.app.push_screen(LinksScreen(paper.title, paper_links(paper, self.hub_links(paper)), self.links))

    def action_copy_as(self: MainScreen) -> None:
        if paper := self._current():
            from reader.screens.copy_as_prompt import CopyAsPrompt

            self.app.push_screen(CopyAsPrompt(), lambda letter: letter and self.links.copy_as(paper, letter))

    def action_full_text(self: MainScreen) -> None:
        if paper := self._current():
            from reader.screens.full_text import FullTextScreen

            self.app.push_screen(FullTextScreen(paper, self.store.data_dir, self.live))

    def action_more_like_this(self: MainScreen) -> None:
        if paper := self._current():
            from reader.screens.more_like_this import MoreLikeThisScreen

            self.app.push_screen(MoreLikeThisScreen(paper, self.likeness, lambda: self.session.shown), self._go_to_paper)

    def _go_to_paper(self: MainScreen, paper: Paper | None) -> None:
        """Put the cursor on ``paper`` when the list shows it, else show its abstract."""
        from reader.screens.more_like_this import row_of

        if paper is not None and (row := row_of(self.session.shown, paper)) is not None:
            self.paper_list.cursor = row
        elif paper is not None:
            self._show_abstract(paper)
            self.set_focus(self.abstract)
