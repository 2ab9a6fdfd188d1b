"""The list pane: one line per paper, drawn only for the rows on screen.

A widget per row (``ListView``) takes over a minute to mount 10,000 papers; this list
renders each visible line on demand, so 100,000 papers cost no more than 40.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.model import Paper
from reader.library import Mark
from reader.sources import without_unsized
from reader.widgets.repaint import set_virtual_size

MarkLookup = Callable[[Paper], Mark]

META_WIDTH = 27  # " 2025-03-18 ▲123 12au ◆ </>": ◆ when the Hub has models, datasets or Spaces of it


class PaperList(ScrollView, can_focus=True):
    """Papers as rows of marks, title and a dim meta column; the cursor row is highlighted."""

    BINDINGS = [
        Binding("down", "cursor_down", "Next paper", show=False, id="cursor_down"),
        Binding("j", "cursor_down", "Next paper", show=False, id="cursor_down"),
        Binding("up", "cursor_up", "Previous paper", show=False, id="cursor_up"),
        Binding("k", "cursor_up", "Previous paper", show=False, id="cursor_up"),
        Binding("g,home", "first", "First paper", show=False, id="first"),
        Binding("G,end", "last", "Last paper", show=False, id="last"),
        Binding("ctrl+d,pagedown", "half_page(1)", "Half page down", show=False, id="half_page_down"),
        Binding("ctrl+u,pageup", "half_page(-1)", "Half page up", show=False, id="half_page_up"),
        Binding("enter", "select", "Open", show=False, id="select"),
    ]

    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--cursor-blurred",
        "paper-list--read",
        "paper-list--unread-mark",
        "paper-list--bookmark",
        "paper-list--meta",
        "paper-list--code",
        "paper-list--hub",
        "paper-list--new",
        "paper-list--divider",
    }

    DEFAULT_CSS = """
    PaperList {
        background: $surface;
        overflow-x: hidden;
        overflow-y: scroll;
        scrollbar-size-vertical: 1;
        & > .paper-list--cursor { background: $accent 60%; color: $text; text-style: bold; }
        & > .paper-list--cursor-blurred { background: $accent 25%; }
        & > .paper-list--read { color: $text-muted; }
        & > .paper-list--unread-mark { color: $accent; }
        & > .paper-list--bookmark { color: $warning; }
        & > .paper-list--meta { color: $text-muted; }
        & > .paper-list--code { color: $success; }
        & > .paper-list--hub { color: $warning; }
        & > .paper-list--new { color: $success; text-style: bold; }
        & > .paper-list--divider { text-style: underline; }
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Highlighted(Message):
        """The cursor moved to ``paper`` (None when the list is empty)."""

        def __init__(self, paper: Paper | None) -> None:
            super().__init__()
            self.paper = paper

    class Selected(Message):
        """``enter`` on ``paper``: open it."""

        def __init__(self, paper: Paper) -> None:
            super().__init__()
            self.paper = paper

    def __init__(self, mark_of: MarkLookup, *, on_hub: Callable[[Paper], bool] = lambda paper: False,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self._mark_of = mark_of
        self._on_hub = on_hub  # whether the paper is known to have artefacts on the Hub
        self._papers: Sequence[Paper] = ()
        self._styles: dict[str, Style] = {}
        # Keyed by the paper's id(); the paper is kept with its row so a recycled id never
        # shows another paper's row. Rows outlive a new search: refining one repaints cheaply.
        self._rows: dict[tuple[int, int, int, bool, bool, bool, bool, bool, bool], tuple[Paper, Strip]] = {}

    @property
    def papers(self) -> Sequence[Paper]:
        return self._papers

    @property
    def current(self) -> Paper | None:
        if 0 <= self.cursor < len(self._papers):
            return self._papers[self.cursor]
        return None

    @property
    def focusable(self) -> bool:
        """Focusable while its first list loads too: Textual refuses focus to a loading
        widget, and `escape` or `enter` in the search bar would then leave the focus there."""
        if self.loading:
            return self.allow_focus() and self.visible and not self.disabled
        return super().focusable

    def set_papers(self, papers: Sequence[Paper], *, cursor: int = 0) -> None:
        """Show ``papers`` with the cursor on row ``cursor``."""
        self._papers = papers
        set_virtual_size(self, Size(0, len(papers)))
        self.cursor = cursor
        self.refresh()

    def refresh_paper(self, paper: Paper) -> None:
        """Repaint the row of ``paper`` after its marks changed (only rows on screen can show it)."""
        top = self.scroll_offset.y
        for index in range(top, min(len(self._papers), top + self.size.height)):
            if self._papers[index] is paper:
                self.refresh_line(index)

    def watch_cursor(self, old: int, new: int) -> None:
        count = len(self._papers)
        if count and not 0 <= new < count:
            self.cursor = max(0, min(new, count - 1))
            return
        if not self._scroll_cursor_into_view():
            self.refresh_line(old)
            self.refresh_line(new)
        self.post_message(self.Highlighted(self.current))

    def _scroll_cursor_into_view(self) -> bool:
        """Scroll so the cursor row shows; True when it scrolled (the whole list repaints)."""
        height = self.scrollable_content_region.height
        top = self.scroll_offset.y
        if height <= 0:
            return False
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)
        else:
            return False
        return True

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
        self._rows.clear()

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
        if index >= len(self._papers):
            return Strip.blank(width, self.rich_style)
        paper = self._papers[index]
        mark = self._mark_of(paper)
        state = 0 if index != self.cursor else (2 if self.has_focus else 1)
        # The last new paper before one that is not: a line under it divides them.
        divider = mark.new and index + 1 < len(self._papers) and not self._mark_of(self._papers[index + 1]).new
        on_hub = self._on_hub(paper)
        key = (id(paper), width, state, mark.read, mark.bookmarked, mark.new, divider, mark.pending, on_hub)
        row = self._rows.get(key)
        if row is None or row[0] is not paper:
            if len(self._rows) > 2000:
                self._rows.clear()
            row = self._rows[key] = (paper, self._render_row(paper, width, mark, state, divider, on_hub))
        return row[1]

    def visible_papers(self) -> Sequence[Paper]:
        """The papers whose rows are on screen now."""
        top = self.scroll_offset.y
        return self._papers[top:top + max(0, self.scrollable_content_region.height)]

    def _render_row(self, paper: Paper, width: int, mark: Mark, state: int, divider: bool = False,
                    on_hub: bool = False) -> Strip:
        """One row as segments, built directly: a rich ``Text`` per row costs ten times more."""
        base = self.rich_style + self._style("divider") if divider else self.rich_style
        cursor = (None, self._style("cursor-blurred"), self._style("cursor"))[state]

        def segment(text: str, name: str | None) -> Segment:
            style = base + self._style(name) if name else base
            return Segment(text, style + cursor if cursor else style)

        meta_width = META_WIDTH if width >= 50 else 0
        title_width = max(1, width - 4 - meta_width)
        title = without_unsized(paper.title)
        if cell_len(title) > title_width:
            title = set_cell_size(title, title_width - 1) + "…"
        else:
            title = set_cell_size(title, title_width)
        # Marks still being read: neither the unread dot nor the read title's dimming.
        unread_mark = "  " if mark.read or mark.pending else "● "
        segments = [
            segment("✦ ", "new") if mark.new else segment(unread_mark, "unread-mark"),
            segment("★ " if mark.bookmarked else "  ", "bookmark"),
            segment(title, "read" if mark.read else None),
        ]
        if meta_width:
            date = (paper.published or "")[:10]
            votes = f"▲{paper.upvotes}" if paper.upvotes is not None else ""
            count = paper.shown_author_count
            authors = f"{count}au" if count else ""
            segments.append(segment(f" {date:>10} {votes:>4} {authors:>4} ", "meta"))
            segments.append(segment("◆ " if on_hub else "  ", "hub"))
            segments.append(segment("</>" if paper.code_url else "   ", "code"))
        return Strip(segments).adjust_cell_length(width, base)


__all__ = ["PaperList"]
