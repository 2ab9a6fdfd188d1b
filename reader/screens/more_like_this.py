"""More like this (`m`): the library's papers most like the highlighted one, best first,
each with its likeness; `enter` goes to the paper, `escape` closes.

The model (``reader.similar``) is taught the lists the reader shows in one worker at a
time (``LikenessKeeper``); a question is asked in a worker of the view, so neither ever
holds up a keystroke. Until the model has read the library once, the view says so and
asks again when it has.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from reader.model import Paper, ReaderError
from reader.screens.likeness_keeper import LikenessKeeper
from reader.similar import Match

WAIT_INTERVAL = 0.5  # seconds between looks at a model still being built


def row_of(papers: Sequence[Paper], paper: Paper) -> int | None:
    """The row of ``paper`` (by key) in ``papers``, or None."""
    key = paper.key
    return next((row for row, shown in enumerate(papers) if shown.key == key), None)


def match_row(rank: int, score: float, paper: Paper) -> Text:
    """`` 3  0.62  Title · 2025-03-18``: the title shown literally (it may hold brackets)."""
    text = Text(f"{rank:>3}  ", style="bold cyan")
    text.append(f"{score:.2f}  ", style="bold")
    text.append(paper.title)
    if paper.published:
        text.append(f" · {paper.published}", style="dim")
    return text


class MoreLikeThisScreen(ModalScreen[Paper | None]):
    """The papers most like one; dismissed with the paper chosen, or None."""

    BINDINGS = [Binding("escape", "close_similar", "Close", id="close_similar")]

    DEFAULT_CSS = """
    MoreLikeThisScreen { align: center middle; }
    MoreLikeThisScreen > Vertical {
        width: 110; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; padding: 0 1; background: $surface;
    }
    MoreLikeThisScreen #similar-title { text-style: bold; }
    MoreLikeThisScreen #similar-hint { color: $text-muted; }
    MoreLikeThisScreen OptionList { height: auto; max-height: 32; border: none; }
    """

    def __init__(self, paper: Paper, keeper: LikenessKeeper, shown: Callable[[], Sequence[Paper]]) -> None:
        super().__init__()
        self.paper = paper
        self._keeper = keeper
        self._shown = shown
        self.matches: list[tuple[Paper, float]] = []
        self.message = "Finding the papers most like this one…"
        self._waiting = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"More like: {self.paper.title}"), id="similar-title")
            yield Static(Text(self.message), id="similar-message")
            yield OptionList(id="similar")
            yield Static("enter: go to the paper · escape: close", id="similar-hint")

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#similar", OptionList)

    def on_mount(self) -> None:
        self.option_list.display = False
        self._ask_when_ready()

    def _ask_when_ready(self) -> None:
        state = self._keeper.state
        if state is None:
            self._ask()
            return
        self._say(state)
        if not self._waiting:
            self._waiting = True
            self.set_interval(WAIT_INTERVAL, self._look_again)

    def _look_again(self) -> None:
        if self._waiting and self._keeper.state is None:
            self._waiting = False
            self._ask()
        elif self._waiting:
            self._say(self._keeper.state or "")

    def _say(self, message: str) -> None:
        self.message = message
        self.query_one("#similar-message", Static).update(Text(message))

    @work(thread=True, exclusive=True, group="similar", description="find papers like this one")
    def _ask(self) -> None:
        paper = self.paper
        try:
            found: list[Match] = self._keeper.model.more_like(paper.key, paper.title, paper.abstract)
            papers = self._keeper.find((match.key for match in found), self._shown())
        except ReaderError as error:
            self.app.call_from_thread(self._say, f"More like this is unavailable: {error}")
            return
        matches = [(papers[m.key], m.score) for m in found if m.key in papers]
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, matches)

    def _show(self, matches: list[tuple[Paper, float]]) -> None:
        self.matches = matches
        if not matches:
            self._say("No paper in the library shares enough words with this one.")
            return
        self._say(f"{len(matches)} papers of the library, most like this one first:")
        options = self.option_list
        options.add_options([Option(match_row(n, score, p)) for n, (p, score) in enumerate(matches, 1)])
        options.display = True
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _on_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.matches):
            self.dismiss(self.matches[event.option_index][0])

    def action_close_similar(self) -> None:
        self.dismiss(None)
