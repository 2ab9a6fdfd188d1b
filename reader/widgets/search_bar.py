"""The search bar: the query language typed live; ``enter`` and ``escape`` hand focus back."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class SearchBar(Input):
    """An ``Input`` that posts ``Accepted`` on enter and ``Cancelled`` (after clearing) on escape."""

    BINDINGS = [
        Binding("enter", "submit", "Back to the list", id="submit"),
        Binding("escape", "cancel", "Clear search", id="cancel"),
    ]

    DEFAULT_CSS = """
    SearchBar { border: none; height: 1; padding: 0 1; background: $boost; }
    SearchBar:focus { border: none; background: $accent 20%; }
    """

    class Accepted(Message):
        """``enter``: go back to the list, keeping the filter."""

    class Cancelled(Message):
        """``escape``: the search was cleared; go back to the list."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            placeholder="/ search: words \"a phrase\" -not title: author: is:unread is:bookmarked is:new has:code has:model",
            id=id,
        )

    def refresh(self, *regions, repaint: bool = True, layout: bool = False, recompose: bool = False):  # type: ignore[no-untyped-def,override]
        """Never re-lay-out the screen for a keystroke: the bar is one fixed line.

        ``Input`` asks for a layout on every change of its text, and a layout repaints
        every widget on screen; the text still scrolls within the line without one.
        """
        return super().refresh(*regions, repaint=repaint, layout=False, recompose=recompose)

    async def action_submit(self) -> None:
        self.post_message(self.Accepted())

    def action_cancel(self) -> None:
        self.value = ""
        self.post_message(self.Cancelled())
