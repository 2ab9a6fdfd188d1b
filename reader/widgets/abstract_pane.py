"""The abstract pane: everything known about the highlighted paper, search matches lit up.

Text from the network is put into ``rich.text.Text`` verbatim, never parsed as markup, so a
title such as ``[bold]`` or ``[link=…]`` shows as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.model import Paper
from reader.search import Query, highlight_spans
from reader.library import Mark
from reader.sources import truncate, without_unsized
from reader.widgets.repaint import set_virtual_size

if TYPE_CHECKING:
    from reader.session import HubNote
    from reader.sources import Artefacts

TOP = 3  # of each kind of artefact, the best named after the abstract

MATCH_STYLE = Style(bold=True, reverse=True)


def _highlighted(text: str, needles: Sequence[str], style: Style | str = "") -> Text:
    text = without_unsized(text)
    out = Text(text, style=style, end="")
    for start, end in highlight_spans(text, needles):
        out.stylize(MATCH_STYLE, start, end)
    return out


# Names on the line under the title, and in the list after the abstract: at most so many,
# in at most so many characters, so a paper by thousands stays a few lines to lay out.
HEAD_AUTHORS, HEAD_CHARS = 3, 100
LISTED_AUTHORS, LISTED_CHARS = 100, 2_000
LABEL_WIDTH = 12


def describe(paper: Paper, mark: Mark | None, query: Query | None = None, hub: HubNote | None = None) -> Text:
    """The pane's whole text for ``paper``, with what ``query`` matched highlighted.

    The title, one line of marks, date, votes and links, one of authors, one of what the
    Hub has of it ("3 models · 1 dataset"), then the abstract: at 80×24 its first lines are
    on screen. The details (the AI summary, the author list, the best of its models,
    datasets and Spaces, every link in full) follow it.
    """
    query = query or Query()
    out = Text(end="")
    out.append_text(_highlighted(paper.title, query.highlights("title"), "bold"))
    out.append("\n")
    out.append_text(_facts(paper, mark))
    out.append("\n")
    byline = _byline(paper, query.highlights("author"))
    if byline.plain:
        out.append_text(byline)
        out.append("\n")
    if hub is not None:
        out.append("Hub ", "bold")
        out.append(hub.line, "" if hub.artefacts is not None and hub.artefacts.any else "dim")
        out.append("\n")
    out.append("\n")
    out.append_text(_highlighted(paper.abstract or "(no abstract)", query.highlights(None)))
    out.append("\n")
    out.append_text(_details(paper, query, hub.artefacts if hub is not None else None))
    out.rstrip()
    return out


def _facts(paper: Paper, mark: Mark | None) -> Text:
    """``unread · ★ bookmarked · 2025-03-18 · ▲ 12 · code · project · hf · arxiv``, the link
    names clickable where the terminal supports it."""
    facts: list[Text] = []
    if mark is not None and mark.pending:
        facts.append(Text("reading marks…"))
    elif mark is not None:
        facts.append(Text("read" if mark.read else "unread"))
        if mark.bookmarked:
            facts.append(Text("★ bookmarked"))
    if paper.published:
        facts.append(Text(paper.published[:10]))
    if paper.upvotes is not None:
        facts.append(Text(f"▲ {paper.upvotes}"))
    for label, url in _links(paper):
        facts.append(Text(label, Style(color="cyan", link=url)))
    return Text(" · ", style="dim", end="").join(facts)


def _byline(paper: Paper, needles: Sequence[str]) -> Text:
    """The first authors, how many more, and the organisation, on one line."""
    out = Text(end="")
    if paper.authors:
        out.append_text(_names(paper.authors, needles, HEAD_AUTHORS, HEAD_CHARS))
    elif paper.author_count:
        out.append(f"{paper.author_count:,} authors", "italic")
    if paper.organization:
        out.append(" · " if out.plain else "", "dim")
        out.append(without_unsized(paper.organization), "italic dim")
    return out


def _names(authors: Sequence[str], needles: Sequence[str], most: int, chars: int) -> Text:
    """The first names that fit ``most`` and ``chars`` (the first always, cut to ``chars``),
    then "+K more"."""
    shown = [truncate(authors[0], chars)]
    used = len(shown[0])
    for name in authors[1:most]:
        used += len(name) + 2
        if used > chars:
            break
        shown.append(name)
    out = _highlighted(", ".join(shown), needles, "italic")
    if len(authors) > len(shown):
        out.append(f" +{len(authors) - len(shown):,} more", "italic dim")
    return out


def _links(paper: Paper) -> list[tuple[str, str]]:
    links = [("code", paper.code_url), ("project", paper.project_url), ("hf", paper.hf_url),
             ("arxiv", paper.arxiv_url)]
    return [(label, url) for label, url in links if url]


def _details(paper: Paper, query: Query, artefacts: Artefacts | None = None) -> Text:
    """What follows the abstract: the AI summary and keywords, the authors (capped), the
    dates and counts the facts line leaves out, the best-liked artefacts, and every link
    in full."""
    out = Text(end="")

    def row(label: str, value: Text | str, style: Style | str = "") -> None:
        out.append(f"\n{label:<{LABEL_WIDTH}}", "bold")
        if isinstance(value, Text):
            out.append_text(value)
        else:
            out.append(value, style)

    if paper.ai_summary:
        row("AI summary", _highlighted(paper.ai_summary, query.highlights(None), "italic"))
    if paper.ai_keywords:
        row("Keywords", without_unsized(", ".join(paper.ai_keywords)), "dim")
    if len(paper.authors) > HEAD_AUTHORS or len(", ".join(paper.authors)) > HEAD_CHARS:  # the byline is cut
        row("Authors", _names(paper.authors, query.highlights("author"), LISTED_AUTHORS, LISTED_CHARS))
    if paper.submitted and paper.submitted[:10] != (paper.published or "")[:10]:
        row("Daily list", f"on Hugging Face's daily papers {paper.submitted[:10]}", "dim")
    if paper.github_stars is not None:
        row("GitHub", f"★ {paper.github_stars:,} stars", "dim")
    if paper.comments:
        row("Comments", f"{paper.comments:,}", "dim")
    for kind, label in (("model", "Models"), ("dataset", "Datasets"), ("space", "Spaces")):
        shown = artefacts.of(kind)[:TOP] if artefacts is not None else ()
        for i, artefact in enumerate(shown):
            row(label if i == 0 else "", Text(without_unsized(artefact.describe()), Style(link=artefact.url)))
        if shown and artefacts is not None and artefacts.total(kind) > len(shown):
            row("", f"+{artefacts.total(kind) - len(shown):,} more", "dim")
    for label, url in _links(paper):
        row(label, url, Style(color="cyan", link=url))
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
        hub: HubNote | None = None,
        keep_scroll: bool = False,
    ) -> None:
        """Show ``paper`` from the top, or where the reader was when only its marks or what
        the Hub has of it changed."""
        if paper is None:
            self._content = Text("No paper to show.", style="dim")
        else:
            self._content = describe(paper, mark, query, hub)
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
