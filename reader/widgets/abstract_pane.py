"""The abstract pane: everything known about the highlighted paper, search matches lit up.

Text from the network is put into ``rich.text.Text`` verbatim, never parsed as markup, so a
title such as ``[bold]`` or ``[link=…]`` shows as typed.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from reader.data.paper import Paper
from reader.data.search import highlight_spans
from reader.data.store import Mark

MATCH_STYLE = Style(bold=True, reverse=True)


def _highlighted(text: str, needles: Sequence[str], style: Style | str = "") -> Text:
    out = Text(text, style=style, end="")
    for start, end in highlight_spans(text, needles):
        out.stylize(MATCH_STYLE, start, end)
    return out


def describe(
    paper: Paper,
    mark: Mark | None,
    highlights: Sequence[str] = (),
    author_highlights: Sequence[str] = (),
) -> Text:
    """The pane's whole text for ``paper``."""
    out = Text(end="")
    out.append_text(_highlighted(paper.title, highlights, "bold"))
    out.append("\n")
    if mark is not None:
        flags = ["read" if mark.read else "unread"]
        if mark.bookmarked:
            flags.append("★ bookmarked")
        out.append(" · ".join(flags) + "\n", "dim")
    if paper.authors:
        out.append_text(_highlighted(", ".join(paper.authors), author_highlights, "italic"))
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
        out.append_text(_highlighted(paper.ai_summary, highlights, "italic"))
        out.append("\n")
    if paper.ai_keywords:
        out.append("Keywords    ", "bold")
        out.append(", ".join(paper.ai_keywords) + "\n", "dim")
    out.append("\n")
    out.append_text(_highlighted(paper.abstract or "(no abstract)", highlights))
    return out


class AbstractPane(VerticalScroll, can_focus=True):
    """Scrolls like a pager once a paper is opened; ``escape`` goes back to the list."""

    BINDINGS = [
        Binding("down", "scroll_down", "Scroll down", show=False),
        Binding("j", "scroll_down", "Scroll down", show=False),
        Binding("up", "scroll_up", "Scroll up", show=False),
        Binding("k", "scroll_up", "Scroll up", show=False),
        Binding("space,pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
    ]

    DEFAULT_CSS = """
    AbstractPane { padding: 0 1; }
    AbstractPane > Static { width: 100%; }
    """

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(Text("No paper selected.", style="dim"), id="abstract-text")

    def show(
        self,
        paper: Paper | None,
        mark: Mark | None = None,
        highlights: Sequence[str] = (),
        author_highlights: Sequence[str] = (),
        *,
        keep_scroll: bool = False,
    ) -> None:
        """Show ``paper`` from the top, or where the reader was when only its marks changed."""
        body = self.query_one("#abstract-text", Static)
        if paper is None:
            body.update(Text("No paper to show.", style="dim"))
        else:
            body.update(describe(paper, mark, highlights, author_highlights))
        if not keep_scroll:
            self.scroll_home(animate=False)

    @property
    def text(self) -> str:
        """The plain text on show (tests and the help for copying by hand read it)."""
        content = self.query_one("#abstract-text", Static).content
        return content.plain if isinstance(content, Text) else str(content)
