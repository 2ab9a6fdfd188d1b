"""The abstract pane: everything known about the highlighted paper, search matches lit up.

Text from the network is put into ``rich.text.Text`` verbatim, never parsed as markup, so a
title such as ``[bold]`` or ``[link=…]`` shows as typed.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.model import Paper
from reader.search import Query, highlight_spans
from reader.library import Mark
from reader.widgets.repaint import set_virtual_size

MATCH_STYLE = Style(bold=True, reverse=True)


def _highlighted(text: str, needles: Sequence[str], style: Style | str = "") -> Text:
    out = Text(text, style=style, end="")
    for start, end in highlight_spans(text, needles):
        out.stylize(MATCH_STYLE, start, end)
    return out


def describe(paper: Paper, mark: Mark | None, query: Query | None = None) -> Text:
    """The pane's whole text for ``paper``, with what ``query`` matched highlighted."""
    query = query or Query()
    out = Text(end="")
    out.append_text(_highlighted(paper.title, query.highlights("title"), "bold"))
    out.append("\n")
    if mark is not None:
        flags = ["read" if mark.read else "unread"]
        if mark.bookmarked:
            flags.append("★ bookmarked")
        out.append(" · ".join(flags) + "\n", "dim")
    if paper.authors:
        out.append_text(_highlighted(", ".join(paper.authors), query.highlights("author"), "italic"))
        out.append("\n")
    elif paper.author_count:
        out.append(f"{paper.author_count} authors\n", "italic")
    if paper.organization:
        out.append(paper.organization + "\n", "italic dim")
    facts = []
    if paper.published:
        facts.append(f"published {paper.published}")
    if paper.submitted and paper.submitted != paper.published:
        facts.append(f"on Daily Papers {paper.submitted}")
    if paper.upvotes is not None:
        facts.append(f"▲ {paper.upvotes}")
    if paper.github_stars is not None:
        facts.append(f"★ {paper.github_stars} stars")
    if paper.comments:
        facts.append(f"{paper.comments} comments")
    if facts:
        out.append(" · ".join(facts) + "\n", "dim")
    out.append("\n")
    links = [
        ("code", paper.code_url),
        ("project", paper.project_url),
        ("hf", paper.hf_url),
        ("arxiv", paper.arxiv_url),
    ]
    for label, url in links:
        if url:
            out.append(f"{label:<8}", "bold")
            out.append(url + "\n", Style(color="cyan", link=url))
    if paper.ai_summary:
        out.append("\nAI summary  ", "bold")
        out.append_text(_highlighted(paper.ai_summary, query.highlights(None), "italic"))
        out.append("\n")
    if paper.ai_keywords:
        out.append("Keywords    ", "bold")
        out.append(", ".join(paper.ai_keywords) + "\n", "dim")
    out.append("\n")
    out.append_text(_highlighted(paper.abstract or "(no abstract)", query.highlights(None)))
    return out


class AbstractPane(ScrollView, can_focus=True):
    """Scrolls like a pager once a paper is opened; ``escape`` goes back to the list.

    The text is wrapped once per paper and drawn line by line: replacing a ``Static``'s
    content would re-lay-out the whole screen on every ``j``/``k``.
    """

    BINDINGS = [
        Binding("down", "scroll_down", "Scroll down", show=False, id="scroll_down"),
        Binding("j", "scroll_down", "Scroll down", show=False, id="scroll_down"),
        Binding("up", "scroll_up", "Scroll up", show=False, id="scroll_up"),
        Binding("k", "scroll_up", "Scroll up", show=False, id="scroll_up"),
        Binding("space,pagedown", "page_down", "Page down", show=False, id="page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="page_up"),
    ]

    DEFAULT_CSS = """
    AbstractPane {
        padding: 0 1;
        overflow-x: hidden;
        overflow-y: scroll;
        scrollbar-size-vertical: 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._content = Text("No paper selected.", style="dim")
        self._lines: list[Strip] = []
        self._wrapped_width = -1

    def show(
        self,
        paper: Paper | None,
        mark: Mark | None = None,
        query: Query | None = None,
        *,
        keep_scroll: bool = False,
    ) -> None:
        """Show ``paper`` from the top, or where the reader was when only its marks changed."""
        if paper is None:
            self._content = Text("No paper to show.", style="dim")
        else:
            self._content = describe(paper, mark, query)
        self._wrap()
        if not keep_scroll:
            self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    @property
    def content(self) -> Text:
        return self._content

    @property
    def text(self) -> str:
        """The plain text on show."""
        return self._content.plain

    def _wrap(self) -> None:
        width = self.scrollable_content_region.width
        self._wrapped_width = width
        if width <= 0:
            self._lines = []
            return
        console = self.app.console
        options = console.options.update(width=width, max_width=width, height=None, no_wrap=False)
        lines = console.render_lines(self._content, options, style=self.rich_style, pad=True)
        self._lines = [Strip(line, width) for line in lines]
        set_virtual_size(self, Size(width, len(self._lines)))

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._wrapped_width:
            self._wrap()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted:
            self._wrap()

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if 0 <= index < len(self._lines) and width == self._wrapped_width:
            return self._lines[index]
        return Strip.blank(width, self.rich_style)
