"""The list pane: one line per paper, drawn only for the rows on screen.

A widget per row (``ListView``) takes over a minute to mount 10,000 papers; this list
renders each visible line on demand, so 100,000 papers cost no more than 40.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.data.paper import Paper
from reader.data.store import Mark

MarkLookup = Callable[[Paper], Mark]

META_WIDTH = 25  # " 2025-03-18 ▲123 12au </>"


class PaperList(ScrollView, can_focus=True):
    """Papers as rows of marks, title and a dim meta column; the cursor row is highlighted."""

    BINDINGS = [
        Binding("down", "cursor_down", "Next paper", show=False),
        Binding("j", "cursor_down", "Next paper", show=False),
        Binding("up", "cursor_up", "Previous paper", show=False),
        Binding("k", "cursor_up", "Previous paper", show=False),
        Binding("g,home", "first", "First paper", show=False),
        Binding("G,end", "last", "Last paper", show=False),
        Binding("ctrl+d,pagedown", "half_page(1)", "Half page down", show=False),
        Binding("ctrl+u,pageup", "half_page(-1)", "Half page up", show=False),
        Binding("enter", "select", "Open"),
    ]

    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--cursor-blurred",
        "paper-list--read",
        "paper-list--unread-mark",
        "paper-list--bookmark",
        "paper-list--meta",
        "paper-list--code",
    }

    DEFAULT_CSS = """
    PaperList {
        background: $surface;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        & > .paper-list--cursor { background: $accent 60%; color: $text; text-style: bold; }
        & > .paper-list--cursor-blurred { background: $accent 25%; }
        & > .paper-list--read { color: $text-muted; }
        & > .paper-list--unread-mark { color: $accent; }
        & > .paper-list--bookmark { color: $warning; }
        & > .paper-list--meta { color: $text-muted; }
        & > .paper-list--code { color: $success; }
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Highlighted(Message):
        """The cursor moved to ``paper`` (None when the list is empty)."""

        def __init__(self, paper: Paper | None, index: int) -> None:
            super().__init__()
            self.paper = paper
            self.index = index

    class Selected(Message):
        """``enter`` on ``paper``: open it."""

        def __init__(self, paper: Paper) -> None:
            super().__init__()
            self.paper = paper

    def __init__(self, mark_of: MarkLookup, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._mark_of = mark_of
        self._papers: Sequence[Paper] = ()
        self._styles: dict[str, Style] = {}

    @property
    def papers(self) -> Sequence[Paper]:
        return self._papers

    @property
    def current(self) -> Paper | None:
        if 0 <= self.cursor < len(self._papers):
            return self._papers[self.cursor]
        return None

    def set_papers(self, papers: Sequence[Paper], *, keep: Paper | None = None) -> None:
        """Show ``papers``; the cursor stays on ``keep`` when it is still listed, else goes to the top."""
        self._papers = papers
        index = 0
        if keep is not None:
            # by identity: comparing dataclasses field by field would cost a scan per keystroke
            index = next((i for i, paper in enumerate(papers) if paper is keep), 0)
        self.virtual_size = Size(0, len(papers))
        self.cursor = index
        self.refresh()

    def refresh_paper(self, paper: Paper) -> None:
        """Repaint the row of ``paper`` after its marks changed."""
        self.refresh()

    def watch_cursor(self, old: int, new: int) -> None:
        count = len(self._papers)
        if count and not 0 <= new < count:
            self.cursor = max(0, min(new, count - 1))
            return
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Highlighted(self.current, self.cursor))

    def _scroll_cursor_into_view(self) -> None:
        height = self.scrollable_content_region.height
        top = self.scroll_offset.y
        if height <= 0:
            return
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def on_resize(self) -> None:
        self.virtual_size = Size(0, len(self._papers))
        self._scroll_cursor_into_view()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(f"paper-list--{name}")
        return style

    # actions -------------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        if self.cursor < len(self._papers) - 1:
            self.cursor += 1

    def action_cursor_up(self) -> None:
        if self.cursor > 0:
            self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = max(0, len(self._papers) - 1)

    def action_half_page(self, direction: int) -> None:
        step = max(1, self.scrollable_content_region.height // 2)
        self.cursor = max(0, min(len(self._papers) - 1, self.cursor + direction * step))

    def action_select(self) -> None:
        paper = self.current
        if paper is not None:
            self.post_message(self.Selected(paper))

    def on_click(self, event) -> None:  # type: ignore[no-untyped-def]
        row = self.scroll_offset.y + event.y
        if 0 <= row < len(self._papers):
            self.cursor = row

    # drawing -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        base = self.rich_style
        if index >= len(self._papers):
            return Strip.blank(width, base)
        strip = self._render_row(self._papers[index], width, index == self.cursor)
        return strip.apply_style(base)

    def _render_row(self, paper: Paper, width: int, is_cursor: bool) -> Strip:
        mark = self._mark_of(paper)
        row = Text(no_wrap=True, overflow="ellipsis", end="")
        row.append("● " if not mark.read else "  ", self._style("unread-mark"))
        row.append("★ " if mark.bookmarked else "  ", self._style("bookmark"))
        meta_width = META_WIDTH if width >= 50 else 0
        title_width = max(1, width - 4 - meta_width)
        title = Text(paper.title, no_wrap=True, overflow="ellipsis", end="")
        if mark.read:
            title.stylize(self._style("read"))
        title.truncate(title_width, overflow="ellipsis", pad=True)
        row.append_text(title)
        if meta_width:
            row.append_text(self._meta(paper))
        if is_cursor:
            row.stylize(self._style("cursor" if self.has_focus else "cursor-blurred"))
        segments = list(row.render(self.app.console))
        return Strip(segments).adjust_cell_length(width, self.rich_style)

    def _meta(self, paper: Paper) -> Text:
        date = (paper.published or "")[:10]
        votes = f"▲{paper.upvotes}" if paper.upvotes is not None else ""
        count = paper.shown_author_count
        authors = f"{count}au" if count else ""
        meta = Text(f" {date:>10} {votes:>4} {authors:>4} ", style=self._style("meta"), end="")
        meta.append("</>" if paper.code_url else "   ", self._style("code"))
        return meta


__all__ = ["PaperList"]
