"""The reader's one screen: it owns the list, the filters and the marks, and routes messages.

Panes never reach into each other: the list says what is highlighted, the search bar says
what was typed, and the screen decides what every pane shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import gc
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import date

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from reader.desktop import open_in_browser
from reader.desktop import copy_link
from reader.search import load_or_build
from reader.model import ReaderError
from reader.library import FIRST_SCREEN_ROWS
from reader.library import FirstScreen
from reader.session import LIBRARY_TITLE, Listing, Request, load
from reader.model import Paper
from reader.search import Query, parse_query, scan
from reader.search import SearchIndex
from reader.library import Mark, Store
from reader.screens.help import HelpScreen
from reader.widgets.abstract_pane import AbstractPane
from reader.widgets.key_hints import KeyHints
from reader.widgets.paper_list import PaperList
from reader.widgets.repaint import paint_in_next_frame
from reader.widgets.search_bar import SearchBar
from reader.widgets.status_line import Status, StatusLine

if TYPE_CHECKING:
    from reader.sources import LiveSource

INDEXED_FROM = 2000  # papers; a shorter list is scanned paper by paper in a few ms
FRAME_WRITE_GRACE = 0.015  # seconds for Textual's writer thread to put a frame on the terminal


class MainScreen(Screen[None]):
    """List pane, abstract pane, search bar, header and footer."""

    AUTO_FOCUS = "#list"
    BINDINGS = [
        # Priority: the app moves focus before it hands on the keys typed after `/`.
        Binding("slash", "focus_search", "Search", priority=True),
        Binding("r", "toggle_read", "Read"),
        Binding("b", "toggle_bookmark", "Bookmark"),
        Binding("u", "unread_only", "Unread only"),
        Binding("B", "bookmarks_only", "Bookmarks only", show=False),
        Binding("c", "copy_code", "Copy code"),
        Binding("y", "copy_hf_link", "Copy HF link", show=False),
        Binding("o", "open_paper", "Open in browser", show=False),
        Binding("O", "open_code", "Open code link", show=False),
        Binding("left_square_bracket", "step(-1)", "Previous period", show=False),
        Binding("right_square_bracket", "step(1)", "Next period", show=False),
        Binding("R", "reload", "Refresh", show=False),
        Binding("escape", "back_to_list", "Back to list", show=False),
        Binding("question_mark", "help", "Help"),
    ]

    class Loaded(Message):
        """A list arrived from the loader worker (``partial`` while the library streams in)."""

        def __init__(self, listing: Listing, partial: bool = False) -> None:
            super().__init__()
            self.listing = listing
            self.partial = partial

    class LoadFailed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    class IndexReady(Message):
        """The search index for ``papers`` was built off the event loop."""

        def __init__(self, papers: Sequence[Paper], index: SearchIndex) -> None:
            super().__init__()
            self.papers = papers
            self.index = index

    class Copied(Message):
        """The system clipboard copy is done: ``message`` says where the link went."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(
        self,
        store: Store,
        request: Request,
        live: LiveSource | None,
        initial: Listing | None = None,
        today: date | None = None,
        first_screen: FirstScreen | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.request = request
        self.live = live
        self.today = today
        self._initial = initial
        self._first_screen = first_screen  # until the store opens, the marks shown come from it
        self._cursor_due: tuple[str, int] | None = None  # (key, row it waits on): see _follow_cursor
        self._load_started = False
        self.listing: Listing | None = None
        self.papers: Sequence[Paper] = ()
        self.index: SearchIndex | None = None
        self.search: Query = Query()
        self.unread_only = False
        self.bookmarks_only = False
        self._abstract_due: tuple[Paper | None] | None = None
        self._first_painted = threading.Event()
        self._due_after_paint: list[Callable[[], object]] = []
        self._library_rest: tuple[Iterator[list[Paper]], list[Paper]] | None = None
        self.status = Status()

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        yield SearchBar(id="search")
        with Container(id="panes"):
            yield PaperList(self._mark, id="list")
            yield AbstractPane(id="abstract")
        yield KeyHints()

    @property
    def paper_list(self) -> PaperList:
        return self.query_one("#list", PaperList)

    @property
    def abstract(self) -> AbstractPane:
        return self.query_one("#abstract", AbstractPane)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one("#search", SearchBar)

    def on_mount(self) -> None:
        self._after_paint(self._resume_collector)
        self.paper_list.border_title = "Papers"
        self.abstract.border_title = "Abstract"
        if self._initial is not None:
            self._show_listing(self._initial, partial=False)
            return
        if self._first_screen is not None:
            self._show_listing(self._library_listing(self._first_screen.papers), partial=True)
            self._after_paint(self._open_store)
            return
        self._start()

    def _start(self) -> None:
        if self.request.kind == "library":
            self._show_newest_month()
        self.start_load(self.request)

    def _after_paint(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` once this screen has painted and the frame has reached the terminal.

        Textual writes frames from a thread that needs the interpreter lock: work that holds
        it (parsing a shard or the marks is one long C call) would hold the frame back too,
        so the callback waits a moment after the paint. Until this screen is shown, Textual
        would run an after-refresh callback at once, unpainted: those wait for the resume.
        """
        if self.app.screen is self:
            self.call_after_refresh(self.set_timer, FRAME_WRITE_GRACE, callback)
        else:
            self._due_after_paint.append(callback)

    def on_screen_resume(self) -> None:
        due, self._due_after_paint = self._due_after_paint, []
        for callback in due:
            self._after_paint(callback)

    def _mark(self, paper: Paper) -> Mark:
        if self._first_screen is not None:
            return self._first_screen.mark(paper)
        return self.store.mark(paper)

    def _open_store(self) -> None:
        """After the first screen's frame: open the store, then load the library (unless a
        key has started a load already)."""
        if self._ensure_store() and not self._load_started:
            self._start()

    def _ensure_store(self) -> bool:
        """Open the store the first screen was painted without, at once when a key needs the
        marks; False when it cannot be opened (the reader is exiting with the error)."""
        if self._first_screen is None:
            return self.store.is_open
        try:
            warnings = self.store.open()
        except ReaderError as error:
            self.app.exit(return_code=2, message=f"paper-reader: error: {error}")
            return False
        self._first_screen = None
        for warning in warnings:
            self.notify(warning, severity="warning", timeout=15)
        current = self.paper_list.current
        if current is not None and self.paper_list.cursor > 0:
            self._cursor_due = (current.key, self.paper_list.cursor)
        return True

    def _show_newest_month(self) -> None:
        """Put the newest month of the library in the very first frame (one shard: ~20 ms).

        A first frame without papers and a second with them cost two full renders; the
        rest of the library streams in from the loader worker afterwards.
        """
        chunks = self.store.iter_library()
        try:
            newest = next(chunks, [])
        except ReaderError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        if newest:
            self._show_listing(self._library_listing(list(newest)), partial=True)
        self._library_rest = (chunks, newest)

    # loading ---------------------------------------------------------------------------

    def start_load(self, request: Request) -> None:
        """Fetch ``request`` in a worker; the old list stays usable until the new one lands."""
        if not self._ensure_store():
            return
        self._load_started = True
        self.request = request
        self.status.loading = True
        self.paper_list.loading = not self.papers
        self._refresh_status()
        self._load(request)

    @work(thread=True, exclusive=True, group="load", description="load a list")
    def _load(self, request: Request) -> None:
        worker = get_current_worker()
        try:
            if request.kind == "library":
                chunks, shown = self._library_rest or (self.store.iter_library(), [])
                self._library_rest = None
                self._stream_library(worker, chunks, shown)
                return
            listing = load(request, self.store, self.live, today=self.today)
        except ReaderError as error:
            self.post_message(self.LoadFailed(str(error)))
            return
        except Exception as error:  # a bug must not take the reader and its marks down
            self.post_message(self.LoadFailed(f"Could not load the list: {error!r}"))
            return
        if not worker.is_cancelled:
            self.post_message(self.Loaded(listing))

    def _stream_library(self, worker, chunks: Iterator[list[Paper]], shown: list[Paper]) -> None:  # type: ignore[no-untyped-def]
        """Load the library after ``shown`` (already on screen), newest month first.

        The loader thread shares the interpreter with the event loop, so it waits until the
        first screenful has reached the terminal before reading on.
        """
        papers = list(shown)
        if papers:
            self._first_painted.wait(timeout=2.0)
        for chunk in chunks:
            if worker.is_cancelled:
                return
            papers.extend(chunk)
            if not shown and papers:
                shown = papers
                self._first_painted.clear()
                self.post_message(self.Loaded(self._library_listing(list(papers)), partial=True))
                self._first_painted.wait(timeout=2.0)
        if not papers:
            listing = load(Request("sample"), self.store, None, today=self.today)
            listing.notice = "The library is empty: showing the bundled sample."
            self.post_message(self.Loaded(listing))
            return
        self.post_message(self.Loaded(self._library_listing(papers)))

    @staticmethod
    def _library_listing(papers: list[Paper]) -> Listing:
        return Listing(papers=papers, title=LIBRARY_TITLE, period=None, notice=None, offline=True)

    @on(Loaded)
    def _on_loaded(self, message: Loaded) -> None:
        self._show_listing(message.listing, message.partial)

    def _show_listing(self, listing: Listing, partial: bool) -> None:
        cursor_before = self.paper_list.cursor
        self.listing = listing
        self.papers = listing.papers
        self.index = None
        self.status.loading = partial
        self.status.indexing = not partial and len(self.papers) > INDEXED_FROM
        self.status.title = listing.title
        self.status.notice = listing.notice
        self.status.total = len(self.papers)
        marks = self._first_screen or self.store  # until the store opens, the first screen's
        self.status.unread, self.status.bookmarked = marks.counts(self.papers)
        self.paper_list.loading = False
        self._apply_filters()
        if self._cursor_due is not None:
            self._follow_cursor(cursor_before, partial)
        if listing.notice and not partial:
            self.notify(listing.notice, severity="warning", timeout=8)
        if partial:
            self._after_paint(self._first_painted.set)
        if self.status.indexing:
            self._build_index(self.papers, keep=listing.title == LIBRARY_TITLE)
        elif not partial:
            self._settle_memory()

    def _follow_cursor(self, cursor_before: int, partial: bool) -> None:
        """Keep the cursor on the paper it was on in the first screen.

        The store's papers are other objects than the first screen's, and the newest month
        may not hold that paper yet; it is among the library's first rows once loaded. A
        cursor the user has moved since is left where it is.
        """
        key, waiting_row = self._cursor_due  # type: ignore[misc]
        if cursor_before != waiting_row:
            self._cursor_due = None
            return
        for row, paper in enumerate(self.paper_list.papers[:FIRST_SCREEN_ROWS]):
            if paper.key == key:
                self.paper_list.cursor = row
                self._cursor_due = None
                return
        self._cursor_due = None if not partial else (key, self.paper_list.cursor)

    @on(LoadFailed)
    def _on_load_failed(self, message: LoadFailed) -> None:
        self.status.loading = False
        self.paper_list.loading = False
        self._refresh_status()
        self.notify(message.error, severity="error", timeout=10)

    # A description is given so Textual does not repr() 50,000 papers to name the worker.
    @work(thread=True, exclusive=True, group="index", description="build the search index")
    def _build_index(self, papers: Sequence[Paper], keep: bool) -> None:
        """Build the index of ``papers``; the library's is kept in parts, each read back
        while its papers are unchanged (``index_cache``)."""
        worker = get_current_worker()

        def cancelled() -> bool:
            return worker.is_cancelled

        if keep:
            index = load_or_build(self.store.data_dir, papers, self.store, cancelled)
        else:
            index = SearchIndex.build(papers, self.store, cancelled)
        if index is not None and not worker.is_cancelled:
            self.post_message(self.IndexReady(papers, index))

    @on(IndexReady)
    def _on_index_ready(self, message: IndexReady) -> None:
        if message.papers is self.papers and self.index is None:
            self.index = message.index
            self.status.indexing = False
            self._refresh_status()
            self._settle_memory()

    @staticmethod
    def _resume_collector() -> None:
        """Switch the collector back on after the first frame (``make_app`` paused it); what
        start-up built lives as long as the app, so it is exempted from full passes first."""
        gc.freeze()
        gc.enable()

    @staticmethod
    def _settle_memory() -> None:
        """Collect once, then exempt what is alive from later full collections.

        A loaded library is hundreds of thousands of objects; every full pass of the
        collector (Textual's allocations set one off every few dozen keys) would rescan
        them all, for 50-300 ms in the middle of a keystroke.
        """
        gc.collect()
        gc.freeze()

    # filtering -------------------------------------------------------------------------

    def _effective_query(self) -> Query:
        query = replace(self.search, states=list(self.search.states))
        if self.unread_only:
            query.states.append("unread")
        if self.bookmarks_only:
            query.states.append("bookmarked")
        return query

    def _apply_filters(self) -> None:
        """Recompute the shown list from the search and the `u`/`B` toggles."""
        query = self._effective_query()
        current = self.paper_list.current
        if query.is_empty:
            shown: Sequence[Paper] = self.papers
        else:
            if self.index is not None:
                positions = self.index.filter(query)
            else:  # a short list, or a library whose index is still being built
                positions = scan(self.papers, query, self._mark)
            shown = [self.papers[i] for i in positions]
        self.paper_list.set_papers(shown, keep=current)
        self.status.shown = len(shown)
        self.status.searching = not self.search.is_empty
        self._refresh_status()

    def _refresh_status(self) -> None:
        filters = []
        if self.unread_only:
            filters.append("unread only")
        if self.bookmarks_only:
            filters.append("bookmarks only")
        self.status.filters = tuple(filters)
        status_line = self.query_one("#status", StatusLine)
        status_line.show(self.status)
        # The counts and the rows they count reach the screen in the same frame.
        paint_in_next_frame(self.paper_list, status_line)

    @on(SearchBar.Changed, "#search")
    def _on_search_changed(self, event: SearchBar.Changed) -> None:
        self.search = parse_query(event.value)
        self._apply_filters()

    @on(SearchBar.Accepted)
    def _on_search_accepted(self) -> None:
        self.paper_list.cursor = 0
        self.set_focus(self.paper_list)

    @on(SearchBar.Cancelled)
    def _on_search_cancelled(self) -> None:
        self.set_focus(self.paper_list)

    # showing ---------------------------------------------------------------------------

    @on(PaperList.Highlighted)
    def _on_highlighted(self, message: PaperList.Highlighted) -> None:
        """Let the moved cursor paint first; the abstract follows right after that frame.

        Holding ``j`` sends keys faster than frames: only the last paper is wrapped.
        """
        if self._abstract_due is None:
            self.call_after_refresh(self._show_due_abstract)
        self._abstract_due = (message.paper,)

    def _show_due_abstract(self) -> None:
        if self._abstract_due is not None:
            (paper,) = self._abstract_due
            self._abstract_due = None
            self._show_abstract(paper)

    def _show_abstract(self, paper: Paper | None, keep_scroll: bool = False) -> None:
        mark = self._mark(paper) if paper is not None else None
        self.abstract.show(paper, mark, self.search, keep_scroll=keep_scroll)

    @on(PaperList.Selected)
    def _on_selected(self, message: PaperList.Selected) -> None:
        self._set_mark(message.paper, read=True)  # the store does nothing when already read
        self._abstract_due = None
        self._show_abstract(message.paper)
        self.set_focus(self.abstract)

    def _set_mark(self, paper: Paper, *, read: bool | None = None, bookmarked: bool | None = None) -> None:
        """Change a mark, keep the header counts and the index right, and repaint the row."""
        if not self._ensure_store():
            return
        before = self.store.mark(paper)
        mark = before
        if read is not None:
            mark = self.store.set_read(paper, read)
        if bookmarked is not None:
            mark = self.store.set_bookmarked(paper, bookmarked)
        self.status.unread += int(before.read) - int(mark.read)
        self.status.bookmarked += int(mark.bookmarked) - int(before.bookmarked)
        if self.index is not None:
            self.index.note_mark(paper, before, mark)
        self.paper_list.refresh_paper(paper)
        self._refresh_status()

    # actions ---------------------------------------------------------------------------

    def _current(self) -> Paper | None:
        paper = self.paper_list.current
        if paper is None:
            self.notify("No paper selected.", severity="warning")
        return paper

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In the search bar `/` is a character to type, not the key that focuses it."""
        if action == "focus_search" and self.focused is self.search_bar:
            return False
        return True

    def action_focus_search(self) -> None:
        """Focus the search bar at once, so the keys typed right after `/` land in it."""
        self.set_focus(self.search_bar)

    def on_paste(self, event: events.Paste) -> None:
        """Text pasted outside the search bar (or a fast `/word` burst) becomes a search."""
        if self.focused is self.search_bar:
            return
        event.stop()
        text = " ".join(event.text.split())
        self.set_focus(self.search_bar)
        self.search_bar.insert_text_at_cursor(text[1:] if text.startswith("/") else text)

    def action_back_to_list(self) -> None:
        self.set_focus(self.paper_list)

    def action_toggle_read(self) -> None:
        if paper := self._current():
            self._set_mark(paper, read=not self._mark(paper).read)
            self.call_after_refresh(self._show_abstract, paper, True)

    def action_toggle_bookmark(self) -> None:
        if paper := self._current():
            self._set_mark(paper, bookmarked=not self._mark(paper).bookmarked)
            self.call_after_refresh(self._show_abstract, paper, True)

    def action_unread_only(self) -> None:
        self.unread_only = not self.unread_only
        self._apply_filters()

    def action_bookmarks_only(self) -> None:
        self.bookmarks_only = not self.bookmarks_only
        self._apply_filters()

    def _code_url(self) -> str | None:
        """The current paper's code link; says so when there is no paper or no link."""
        paper = self._current()
        if paper is not None and not paper.code_url:
            self.notify("This paper has no code link.", severity="warning")
        return paper.code_url if paper is not None else None

    def action_copy_code(self) -> None:
        if url := self._code_url():
            self._copy(url, "code link")

    def action_copy_hf_link(self) -> None:
        if paper := self._current():
            self._copy(paper.hf_url, "Hugging Face link")

    def _copy(self, text: str, label: str) -> None:
        self.app.copy_to_clipboard(text)  # in a browser tab, the page puts it on the user's clipboard
        if self.app.is_web:  # the server's clipboard is not the user's
            self.notify(f"Copied {label} through the browser: {text}", timeout=6)
        else:
            self._copy_to_system(text, label)

    @work(thread=True, group="clipboard", description="copy to the system clipboard")
    def _copy_to_system(self, text: str, label: str) -> None:
        """pyperclip may shell out to a clipboard tool: keep that off the event loop."""
        result = copy_link(text, label, terminal_copy=lambda _: None)
        self.post_message(self.Copied(result.message))

    @on(Copied)
    def _on_copied(self, message: Copied) -> None:
        self.notify(message.message, timeout=6)

    def action_open_paper(self) -> None:
        if paper := self._current():
            self._open(paper.hf_url, "paper")

    def action_open_code(self) -> None:
        if url := self._code_url():
            self._open(url, "code link")

    def _open(self, url: str, label: str) -> None:
        if self.app.is_web and url.startswith(("https://", "http://")):
            self.app.open_url(url)  # the page opens it in the user's browser, not the server's
            self.notify(f"Opened the {label} in a new browser tab.", timeout=3)
        elif not self.app.is_web and open_in_browser(url):
            self.notify(f"Opened the {label} in the browser.", timeout=3)
        else:
            self.notify(f"No browser to open here; the {label} is {url} (y/c copy it).", timeout=10)

    def action_step(self, delta: int) -> None:
        period = self.listing.period if self.listing else None
        if period is None or not period.steppable:
            self.notify("Only daily, weekly and monthly lists step with [ and ].", severity="warning")
            return
        self.start_load(Request("live", period.step(delta)))

    def action_reload(self) -> None:
        self.start_load(self.request)

    def action_help(self) -> None:
        groups = [
            ("list", list(PaperList.BINDINGS)),
            ("reader", list(self.BINDINGS)),
            ("search bar", list(SearchBar.BINDINGS)),
            ("abstract pane", list(AbstractPane.BINDINGS)),
            ("app", [*self.app.BINDINGS, Binding(self.app.COMMAND_PALETTE_BINDING, "command_palette", "Command palette")]),
        ]
        self.app.push_screen(HelpScreen(groups))
