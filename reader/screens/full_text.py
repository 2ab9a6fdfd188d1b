"""The full text (`f`): one section at a time, `[`/`]` to move, `t` for the contents, `/` to
find in the whole text and `n`/`N` to step through the matches across sections.

The text is fetched and parsed once in a worker; a key renders only the section it shows,
so a long paper moves as fast as a short one. Text is put into rich ``Text`` verbatim: what
looks like markup in a paper is shown as typed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static

from reader.model import Paper
from reader.screens.full_text_contents import ContentsScreen
from reader.screens.link_actions import LinkActions
from reader.session import FullTextResult, get_full_text
from reader.sources import FullText
from reader.widgets import KeyHints

if TYPE_CHECKING:
    from reader.sources import LiveSource

MATCH_STYLE = "reverse"
CURRENT_MATCH_STYLE = "bold reverse yellow"


class FullTextScreen(Screen[None]):
    """A paper's full text, or the line saying why there is none (and `o` for arXiv)."""

    BINDINGS = [
        Binding("right_square_bracket", "next_section", "Next section", id="next_section"),
        Binding("left_square_bracket", "previous_section", "Previous section", id="previous_section"),
        Binding("t", "table_of_contents", "Contents", id="table_of_contents"),
        Binding("slash", "find", "Find", id="find"),
        Binding("n", "next_match", "Next match", id="next_match"),
        Binding("N", "previous_match", "Previous match", show=False, id="previous_match"),
        Binding("o", "open_arxiv", "Open arXiv page", id="open_arxiv"),
        Binding("j", "line_down", "Scroll down", show=False, id="line_down"),
        Binding("k", "line_up", "Scroll up", show=False, id="line_up"),
        Binding("escape", "close_full_text", "Back", id="close_full_text"),
    ]

    DEFAULT_CSS = """
    FullTextScreen { layout: vertical; }
    FullTextScreen #ft-header { height: auto; padding: 0 1; background: $panel; }
    FullTextScreen #ft-body { height: 1fr; border: round $accent; padding: 0 1; }
    FullTextScreen #ft-find { dock: bottom; display: none; }
    FullTextScreen #ft-find.-shown { display: block; }
    """

    def __init__(self, paper: Paper, data_dir: Path, live: LiveSource | None) -> None:
        super().__init__()
        self.paper = paper
        self._data_dir = data_dir
        self._live = live
        self._links = LinkActions(self)
        self.full_text: FullText | None = None
        self.message: str | None = "Fetching the full text…"
        self.section_index = 0
        self.query_text = ""
        self.matches: list[tuple[int, int, int]] = []
        self.match_index: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(self.paper.title, style="bold"), id="ft-header")
        with VerticalScroll(id="ft-body"):
            yield Static(Text(self.message or ""), id="ft-section")
        yield Input(placeholder="find in the full text", id="ft-find")
        yield KeyHints()

    @property
    def body(self) -> VerticalScroll:
        return self.query_one("#ft-body", VerticalScroll)

    @property
    def find_bar(self) -> Input:
        return self.query_one("#ft-find", Input)

    @property
    def shown_text(self) -> str:
        """What the section pane shows now, as plain text."""
        content = self.query_one("#ft-section", Static).content
        return content.plain if isinstance(content, Text) else str(content)

    def on_mount(self) -> None:
        self.body.focus()
        self._load()

    @work(thread=True, exclusive=True, group="full-text", description="fetch and parse the full text")
    def _load(self) -> None:
        result = get_full_text(self.paper, self._data_dir, self._live)
        self.app.call_from_thread(self._show_result, result)

    def _show_result(self, result: FullTextResult) -> None:
        self.full_text = result.full_text
        self.message = result.message
        if result.warning:
            self.notify(result.warning, severity="warning", timeout=10, markup=False)
        self._paint()

    # painting ----------------------------------------------------------------------------

    def _header(self) -> Text:
        text = Text(self.paper.title, style="bold")
        full = self.full_text
        if full is None:
            return text
        facts = [f for f in (full.source_url, full.published and f"published {full.published}") if f]
        if facts:
            text.append("\n" + " · ".join(facts), style="dim")
        section = full.sections[self.section_index]
        text.append(f"\nSection {self.section_index + 1} of {len(full.sections)}: ", style="dim")
        text.append(section.title)
        if self.query_text:
            where = (f"match {self.match_index + 1} of {len(self.matches)}"
                     if self.match_index is not None else "no match")
            text.append(f"  ·  {where} for ", style="dim")
            text.append(self.query_text)
        return text

    def _section_text(self) -> tuple[Text, int]:
        """The shown section as ``Text``, matches lit, and where its body starts in it."""
        assert self.full_text is not None
        section = self.full_text.sections[self.section_index]
        out = Text(section.title, style="bold", end="")
        out.append("\n\n")
        offset = len(out.plain)
        out.append(section.text)
        for number, (where, start, end) in enumerate(self.matches):
            if where == self.section_index:
                style = CURRENT_MATCH_STYLE if number == self.match_index else MATCH_STYLE
                out.stylize(style, offset + start, offset + end)
        return out, offset

    def _paint(self, scroll_to: int | None = None) -> None:
        """Paint the header and the current section; ``scroll_to`` is a character of the
        section's body to bring into view, else the section starts at its top."""
        self.query_one("#ft-header", Static).update(self._header())
        pane = self.query_one("#ft-section", Static)
        if self.full_text is None:
            message = Text(self.message or "")
            if self.paper.arxiv_url:
                message.append(f"\n\no opens the arXiv page: {self.paper.arxiv_url}", style="dim")
            pane.update(message)
            return
        text, offset = self._section_text()
        pane.update(text)
        if scroll_to is None:
            self.body.scroll_home(animate=False)
        else:
            self.call_after_refresh(self._scroll_to_char, text, offset + scroll_to)

    def _scroll_to_char(self, text: Text, char: int) -> None:
        """Scroll so the line holding ``char`` sits near the top third of the pane."""
        width = max(10, self.query_one("#ft-section", Static).content_region.width)
        line = len(text[:char].wrap(self.app.console, width)) - 1
        self.body.scroll_to(y=max(0, line - self.body.size.height // 3), animate=False)

    # actions ------------------------------------------------------------------------------

    def _go(self, section: int, scroll_to: int | None = None) -> None:
        if self.full_text is None:
            return
        self.section_index = max(0, min(section, len(self.full_text.sections) - 1))
        self._paint(scroll_to)

    def action_next_section(self) -> None:
        if self.full_text is not None and self.section_index + 1 >= len(self.full_text.sections):
            self.notify("This is the last section.", timeout=2)
            return
        self._go(self.section_index + 1)

    def action_previous_section(self) -> None:
        if self.section_index == 0:
            self.notify("This is the first section.", timeout=2)
            return
        self._go(self.section_index - 1)

    def action_table_of_contents(self) -> None:
        if self.full_text is None:
            return
        self.app.push_screen(ContentsScreen(self.full_text.sections, self.section_index),
                             lambda chosen: chosen is not None and self._go(chosen))

    def action_find(self) -> None:
        if self.full_text is None:
            return
        self.find_bar.add_class("-shown")
        self.find_bar.focus()

    @on(Input.Submitted, "#ft-find")
    def _on_find(self, event: Input.Submitted) -> None:
        event.stop()
        self._close_find_bar()
        self.find(event.value)

    def find(self, query: str) -> None:
        """Light every match of ``query`` and go to the first at or after this section."""
        if self.full_text is None:
            return
        self.query_text = " ".join(query.split())
        self.matches = self.full_text.find(self.query_text)
        if not self.matches:
            self.match_index = None
            if self.query_text:
                self.notify(f"Not found: {self.query_text}", severity="warning", timeout=4, markup=False)
            self._paint()
            return
        self.match_index = next((n for n, m in enumerate(self.matches) if m[0] >= self.section_index), 0)
        self._show_match()

    def _show_match(self) -> None:
        assert self.match_index is not None
        section, start, _ = self.matches[self.match_index]
        self._go(section, scroll_to=start)

    def _step_match(self, delta: int) -> None:
        if not self.matches or self.match_index is None:
            self.notify("No search: / finds in the full text.", timeout=3)
            return
        self.match_index = (self.match_index + delta) % len(self.matches)
        self._show_match()

    def action_next_match(self) -> None:
        self._step_match(1)

    def action_previous_match(self) -> None:
        self._step_match(-1)

    def action_open_arxiv(self) -> None:
        if self.paper.arxiv_url:
            self._links.open_url(self.paper.arxiv_url, "arXiv page")
        else:
            self.notify("This paper has no arXiv id.", severity="warning")

    def action_line_down(self) -> None:
        self.body.scroll_down(animate=False)

    def action_line_up(self) -> None:
        self.body.scroll_up(animate=False)

    def _close_find_bar(self) -> None:
        self.find_bar.remove_class("-shown")
        self.body.focus()

    def action_close_full_text(self) -> None:
        """Escape closes the find bar when it is open, else goes back to the list."""
        if self.find_bar.has_class("-shown"):
            self.find_bar.value = ""
            self._close_find_bar()
            return
        self.dismiss(None)
