"""Getting a change on screen in the next frame, without laying out the whole screen."""

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


def paint_in_next_frame(*widgets: Widget) -> None:
    """Tell the screen now that ``widgets`` need repainting.

    A widget normally reports its refresh when its own message queue next goes idle. When
    the screen changes several widgets in one handler, the first report starts a frame
    and a later one waits for the frame after it (up to two ticks of Textual's timer):
    reporting all of them at once puts them in the same, next, frame.
    """
    for widget in widgets:
        widget._check_refresh()  # what the widget's idle handler would call
