"""Resizing a line-drawn scroll view's content without laying out the whole screen."""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget


def set_virtual_size(view: ScrollView, size: Size) -> None:
    """Give ``view`` a new virtual size and repaint it, without a screen layout.

    Assigning ``virtual_size`` re-lays-out and repaints every widget on screen (~20 ms
    here), on every key that changes the list or the abstract. Views that always show
    their vertical scrollbar (``overflow-y: scroll``) need no layout for this: only their
    scrollbar and their own lines change.
    """
    if view.virtual_size == size:
        view.refresh()
        return
    view.set_reactive(Widget.virtual_size, size)
    view._scroll_update(size)  # what Textual itself calls when the size changes
    view.refresh()
