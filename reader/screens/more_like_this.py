"""More like this (`m`): the library's papers most like the highlighted one, best first,
each with its likeness; `enter` goes to the paper, `escape` closes.

The model (``reader.similar``) is taught the lists the reader shows in one worker at a
time (``LikenessKeeper``); a question is asked in a worker of the view, so neither ever
holds up a keystroke. Until the model has read the library once, the view says so and
asks again when it has.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from reader.library import Store
from reader.model import Paper, ReaderError
from reader.similar import Likeness, Match, for_you, library_texts, texts_of
from reader.similar import Text as PaperText

WAIT_INTERVAL = 0.5  # seconds between looks at a model still being built
BUSY_WAIT = 0.2  # seconds between looks at whether the search index is built


class LikenessKeeper:
    """The reading screen's likeness model: taught each list shown (the whole library, or
    a fetched list that joined it), one learning at a time, in ``screen``'s workers."""

    def __init__(self, screen: Screen[None], store: Store, busy: Callable[[], bool] = lambda: False) -> None:
        self._screen = screen
        self._store = store
        self._busy = busy  # while True (the search index is being built) learning waits
        self.model = Likeness(store.data_dir)
        self.error: str | None = None
        self._library: Sequence[Paper] | None = None
        self._pending: list[tuple[Callable[[], Iterable[PaperText]], bool]] = []  # (texts, complete)
        self._lock = threading.Lock()
        self._running = False
        self._whole_library_asked = False

    def learn(self, papers: Sequence[Paper], *, whole_library: bool) -> None:
        """Teach the model ``papers`` (``whole_library``: all of it, so papers gone from it
        are forgotten and the list is kept to find answers in). The first other list of a
        session is followed by the whole library read from the store, so that papers
        fetched without the reader (``export``) are known too."""
        with self._lock:
            if whole_library:
                self._library = papers
                self._pending = [job for job in self._pending if not job[1]]
            self._pending.append((lambda: texts_of(papers), whole_library))
            if not whole_library and not self._whole_library_asked:
                self._pending.append((self._stored_library, True))
            self._whole_library_asked = True
            if self._running:
                return
            self._running = True
        self._screen.run_worker(
            self._learn_pending, name="learn_likeness", group="likeness",
            description="learn the library's words", thread=True,
        )

    def _learn_pending(self) -> None:
        worker = get_current_worker()
        while self._busy() and not worker.is_cancelled:
            time.sleep(BUSY_WAIT)  # search comes first: the index is what a keystroke waits on
        while True:
            with self._lock:
                if not self._pending or worker.is_cancelled:
                    self._running = False
                    return
                texts, whole = self._pending.pop(0)
            try:
                self.model.learn(texts(), complete=whole, cancelled=lambda: worker.is_cancelled)
            except ReaderError as error:
                self.error = str(error)
                with self._lock:
                    self._pending.clear()
                    self._running = False
                self._screen.app.call_from_thread(self._screen.notify, self.error, severity="warning", timeout=8)
                return

    def _stored_library(self) -> Iterable[PaperText]:
        return library_texts(self._store) if self._store.is_open else ()

    @property
    def state(self) -> str | None:
        """Why a question cannot be answered yet (None: it can)."""
        if self.error is not None:
            return f"More like this is unavailable: {self.error}"
        try:
            if self.model.ready:
                return None
        except ReaderError as error:
            return f"More like this is unavailable: {error}"
        read = self.model.papers_read
        if self.model.building or self._running:
            counted = f" ({read:,} papers read so far)" if read else ""
            return f"Still learning the library's words{counted}; the list appears here when done."
        return "Still learning the library's words: the list appears here once the library has loaded."

    def find(self, keys: Iterable[str], shown: Sequence[Paper]) -> dict[str, Paper]:
        """The papers of ``keys``, looked for in the list shown, then in the library."""
        return find_papers(keys, self._lists(shown))

    def _lists(self, shown: Sequence[Paper]) -> Iterator[Sequence[Paper]]:
        yield shown
        if self._library is not None:
            yield self._library
        elif self._store.is_open:
            yield from self._store.iter_library()

    def rank(self, papers: Sequence[Paper]) -> list[Paper]:
        """``papers`` in the "for you" order: most like the bookmarked papers first."""
        library = self._library
        return for_you(self.model, lambda: library if library is not None else papers, self._store)(papers)


def find_papers(keys: Iterable[str], lists: Iterable[Sequence[Paper]]) -> dict[str, Paper]:
    """The papers of ``keys`` among ``lists``, read in turn until all are found."""
    wanted = set(keys)
    ids = {key.removeprefix("arxiv:") for key in wanted if key.startswith("arxiv:")}
    found: dict[str, Paper] = {}
    for papers in lists:
        for paper in papers:
            # The id alone is compared first: making every paper's key costs more.
            if paper.arxiv_id is not None and paper.arxiv_id not in ids:
                continue
            key = paper.key
            if key in wanted and key not in found:
                found[key] = paper
        if len(found) == len(wanted):
            break
    return found


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
