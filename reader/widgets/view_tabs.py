"""The tabs line: the site's views by number, the one shown highlighted, and its order."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class ViewTabs(Static):
    """``1 Daily  2 Weekly  3 Monthly  4 Trending  5 Library  6 Search · order: newest``."""

    DEFAULT_CSS = """
    ViewTabs { height: 1; background: $primary-background; padding: 0 1; text-wrap: nowrap; }
    """

    _shown = ""

    def show(self, tabs: list[tuple[int, str, bool]], order: str) -> None:
        """``tabs`` as (number, name, is current); ``order`` the shown view's order."""
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        for number, name, current in tabs:
            label = f" {number} {name} " if number else f" {name} "
            line.append(label, "reverse bold" if current else "dim")
            line.append(" ")
        line.append(f" · order: {order}", "italic")
        if line.plain != self._shown:  # one fixed line: never a new layout, and only when changed
            self._shown = line.plain
            self.update(line, layout=False)
