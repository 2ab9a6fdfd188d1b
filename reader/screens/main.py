"""The reader's one screen: it routes keys and messages to the reading session and paints
what the session says.

Panes never reach into each other: the list says what is highlighted, the search bar says
what was typed, the session (``ReadingSession``) decides what is shown, and the screen puts
it on every pane.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from collections.abc import Callable, Sequence
from datetime import date

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.screen import Screen

from reader.collector import resume_after_first_frame, settle_after_loading
from reader.library import FirstScreen, Mark, Store, Tally
from reader.model import Paper, ReaderError
from reader.session import ArtefactLookup, Listing, MarkUndo, ReadingSession, Request, View, Views, library_listing
from reader.screens.help import HelpScreen, reader_groups
from reader.screens.hub_actions import HubActions
from reader.screens.link_actions import Copied, LinkActions
from reader.screens.list_loader import IndexReady, ListLoader, Loaded, LoadFailed
from reader.screens.likeness_keeper import LikenessKeeper
from reader.screens.paper_actions import PaperActions
from reader.screens.search_answers import SearchAnswers
from reader.screens.store_opening import StoreOpening
from reader.screens.view_actions import VIEW_BINDINGS, ViewActions
from reader.widgets import AbstractPane, KeyHints, PaperList, SearchBar, Status, StatusLine, ViewTabs
from reader.widgets.repaint import paint_in_next_frame

if TYPE_CHECKING:
    from reader.search import Query, SearchIndex
    from reader.sources import LiveSource

FRAME_WRITE_GRACE = 0.015  # seconds for Textual's writer thread to put a frame on the terminal
MARKS_CHECK_INTERVAL = 1.0  # seconds between looks at marks other readers wrote and failed saves


class MainScreen(StoreOpening, ViewActions, PaperActions, HubActions, SearchAnswers, Screen[None]):
    """Tabs, list pane, abstract pane, search bar, header and footer."""

    AUTO_FOCUS = "#list"
    BINDINGS = [
        # Priority: the app moves focus before it hands on the keys typed after `/`.
        Binding("slash", "focus_search", "Search", priority=True, id="focus_search"),
        Binding("r", "toggle_read", "Read", id="toggle_read"),
        Binding("b", "toggle_bookmark", "Bookmark", id="toggle_bookmark"),
        Binding("u", "unread_only", "Unread only", id="unread_only"),
        Binding("B", "bookmarks_only", "Bookmarks only", show=False, id="bookmarks_only"),
        Binding("c", "copy_code", "Copy code", id="copy_code"),
        Binding("y", "copy_hf_link", "Copy HF link", show=False, id="copy_hf_link"),
        Binding("o", "open_paper", "Open in browser", show=False, id="open_paper"),
        Binding("O", "open_code", "Open code link", show=False, id="open_code"),
        Binding("left_square_bracket", "step(-1)", "Previous period", show=False, id="previous_period"),
        Binding("right_square_bracket", "step(1)", "Next period", show=False, id="next_period"),
        Binding("R", "reload", "Refresh", show=False, id="reload"),
        Binding("escape", "back_to_list", "Back to list", show=False, id="back_to_list"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("l", "links", "Links", show=False, id="links"),
        Binding("Y", "copy_as", "Copy as…", show=False, id="copy_as"),
        Binding("f", "full_text", "Full text", show=False, id="full_text"),
        Binding("m", "more_like_this", "More like this", show=False, id="more_like_this"),
        *VIEW_BINDINGS,
    ]

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
        self.today = today or date.today()
        self._initial = initial
        self._first_screen = first_screen  # until the store opens, the marks shown come from it
        self._load_started = False
        # What is read and how: a session per view, the current one on screen.
        self.likeness = LikenessKeeper(self, store, busy=lambda: self.session.indexing)
        self.hub = ArtefactLookup(store, live)
        self.views = Views(first_screen or store, request, self.today, rank=self.likeness.rank, hub=self.hub)
        self.undo = MarkUndo()
        self.loader = ListLoader(self, store, live, today)
        self.links = LinkActions(self)
        self.live = live
        self._abstract_due: tuple[Paper | None] | None = None
        self._due_after_paint: list[Callable[[], object]] = []
        # The store's merged_version the screen last painted: the marks it opened with.
        self._merged_seen = store.marks.merged_version if store.is_open else 0
        self._save_error_shown: str | None = None

    def compose(self) -> ComposeResult:
        yield ViewTabs(id="tabs")
        yield StatusLine(id="status")
        yield SearchBar(id="search")
        with Container(id="panes"):
            yield PaperList(self._mark, on_hub=self.on_hub, id="list")
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

    @property
    def tabs(self) -> ViewTabs:
        return self.query_one("#tabs", ViewTabs)

    @property
    def session(self) -> ReadingSession:
        """The shown view's reading."""
        return self.views.current.session

    @property
    def request(self) -> Request:
        """What the shown view asks for (what `R` fetches again)."""
        request = self.views.current.request
        assert request is not None  # a view is shown only once it asks for something
        return request

    # the session's state, as the screen's own ---------------------------------------------

    @property
    def papers(self) -> Sequence[Paper]:
        return self.session.papers

    @property
    def index(self) -> SearchIndex | None:
        return self.session.index

    @property
    def search(self) -> Query:
        return self.session.search

    @property
    def unread_only(self) -> bool:
        return self.session.unread_only

    @property
    def bookmarks_only(self) -> bool:
        return self.session.bookmarks_only

    @property
    def status(self) -> Status:
        """What the header says: the session's list, counts and filters."""
        session = self.session
        counts = session.counts
        status = Status(
            notice=session.notice, loading=session.loading, indexing=session.indexing,
            total=counts.total, shown=counts.shown, unread=counts.unread, bookmarked=counts.bookmarked,
            searching=session.searching, filters=session.filters, scanned=session.scanned,
            marks_pending=self.marks_pending,
        )
        status.new, status.new_since = self.news_status()
        if session.title is not None:
            status.title = session.title
        error = self.store.marks.save_error if self.store.is_open else None
        if error is not None:
            unsaved = f"marks not saved ({error}); retrying"
            status.notice = f"{unsaved} · {status.notice}" if status.notice else unsaved
        return status

    def on_mount(self) -> None:
        self._after_paint(resume_after_first_frame)
        self.set_interval(MARKS_CHECK_INTERVAL, self._check_marks)
        self.paper_list.border_title = "Papers"
        self.abstract.border_title = "Abstract"
        if self._initial is not None:
            self._show_listing(self._initial, partial=False)
            return
        if self._first_screen is not None:
            self._show_listing(library_listing(self._first_screen.papers), partial=True)
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
        return self.session.marks.mark(paper)

    def _check_marks(self) -> None:
        """Show marks another reader saved (counts, rows, the abstract), the store's
        warnings, and whether the marks are saved."""
        if self._first_screen is not None or not self.store.is_open:
            return
        marks = self.store.marks
        marks.watch()  # from now on the writer takes in other readers' marks every second
        for warning in self.store.take_warnings():
            self.notify(warning, severity="warning", timeout=15)
        if marks.merged_version != self._merged_seen:
            self.show_marks_changed_elsewhere()
        elif marks.save_error != self._save_error_shown:
            self._save_error_shown = marks.save_error
            self._refresh_status()

    def _show_newest_month(self) -> None:
        """Put the newest month of the library in the very first frame; the rest of it
        streams in from the loader worker afterwards (``LibraryStream``)."""
        try:
            newest = self.loader.newest_month()
        except ReaderError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        if newest is not None:
            self._show_listing(newest, partial=True)

    # loading ---------------------------------------------------------------------------

    def start_load(self, request: Request, view: View | None = None) -> None:
        """Fetch ``request`` for ``view`` (the shown one by default) in a worker; the old
        list stays usable until the new one lands."""
        if not self._ensure_store():
            return
        view = view or self.views.current
        self._load_started = view.started = True
        view.request = request
        view.session.loading = True
        if view is self.views.current:
            self.paper_list.loading = not self.session.papers
            self._refresh_status()
        self.loader.load(request, view.name)

    @on(Loaded)
    def _on_loaded(self, message: Loaded) -> None:
        view = self.views.named(message.view) or self.views.current
        tally = message.tally
        if tally is not None and not (self.store.is_open and tally.version == self.store.marks_version):
            tally = None  # a mark changed since: counted again
        self._show_listing(message.listing, message.partial, view, tally)

    def _show_listing(self, listing: Listing, partial: bool, view: View | None = None,
                      tally: Tally | None = None) -> None:
        view = view or self.views.current
        in_front = view is self.views.current
        if in_front:
            self._note_cursor()
        self.views.show(view, listing, partial, tally)
        view.counted = self.store.marks_version if self.store.is_open else -1
        if not in_front:  # loaded in the background: shown when switched to
            if partial:
                self.loader.painted()
            return
        self.paper_list.loading = False
        self._show_papers()
        if listing.notice and not partial:
            self.notify(listing.notice, severity="warning", timeout=8)
        if partial:
            self._after_paint(self.loader.painted)
        else:
            self.likeness.learn(listing.papers, whole_library=self.session.is_library)
        if self.session.indexing:
            self.index_if_wanted()
        elif not partial:
            settle_after_loading()

    @on(LoadFailed)
    def _on_load_failed(self, message: LoadFailed) -> None:
        view = self.views.named(message.view) or self.views.current
        view.session.loading = False
        if view is not self.views.current:
            return
        self.paper_list.loading = False
        self._refresh_status()
        self.notify(message.error, severity="error", timeout=10)

    @on(IndexReady)
    def _on_index_ready(self, message: IndexReady) -> None:
        self._note_cursor()
        searched_part = bool(self.session.scanned)
        if self.session.take_index(message.papers, message.index):
            if searched_part:
                self.paper_list.set_papers(self.session.shown, cursor=self.session.cursor)
            self._refresh_status()
            settle_after_loading()

    # painting what the session says ----------------------------------------------------

    def _note_cursor(self) -> None:
        """Tell the session where the cursor is now: a key may have moved it since the
        list's last ``Highlighted`` reached the screen."""
        self.session.note_cursor(self.paper_list.cursor)

    def _show_papers(self) -> None:
        """Put the shown papers (a pending search's once answered), cursor row and header on screen."""
        if self.session.pending is None:
            self.paper_list.set_papers(self.session.shown, cursor=self.session.cursor)
        self._refresh_status()
        self.call_after_refresh(self.see_rows)

    def _refresh_status(self) -> None:
        self.follow_search()  # a search the session left pending is answered in a worker
        self.paint_tabs()
        status_line = self.query_one("#status", StatusLine)
        status_line.show(self.status)
        # The counts and the rows they count reach the screen in the same frame.
        paint_in_next_frame(self.paper_list, status_line)

    @on(SearchBar.Changed, "#search")
    def _on_search_changed(self, event: SearchBar.Changed) -> None:
        if event.value != event.input.value:
            return  # keys typed while an earlier search ran: only the newest text is searched
        self._note_cursor()
        self.session.set_search(event.value)
        self._show_papers()

    @on(SearchBar.Accepted)
    def _on_search_accepted(self) -> None:
        self.paper_list.cursor = 0
        self.set_focus(self.paper_list)

    @on(SearchBar.Cancelled)
    def _on_search_cancelled(self) -> None:
        self.set_focus(self.paper_list)

    @on(PaperList.Highlighted)
    def _on_highlighted(self, message: PaperList.Highlighted) -> None:
        """Let the moved cursor paint first; the abstract follows right after that frame.

        Holding ``j`` sends keys faster than frames: only the last paper is wrapped.
        """
        self._note_cursor()
        if self._abstract_due is None:
            self.call_after_refresh(self._show_due_abstract)
        self._abstract_due = (message.paper,)
        self.cursor_rests_soon(message.paper)

    def _show_due_abstract(self) -> None:
        if self._abstract_due is not None:
            (paper,) = self._abstract_due
            self._abstract_due = None
            self._show_abstract(paper)
            self.see_rows()

    def _show_abstract(self, paper: Paper | None, keep_scroll: bool = False) -> None:
        mark, hub = (self._mark(paper), self.hub_note(paper)) if paper is not None else (None, None)
        self.abstract.show(paper, mark, self.session.search, hub=hub, keep_scroll=keep_scroll)

    @on(PaperList.Selected)
    def _on_selected(self, message: PaperList.Selected) -> None:
        self._set_mark(message.paper, read=True)  # the store does nothing when already read
        self._abstract_due = None
        self._show_abstract(message.paper)
        self.set_focus(self.abstract)

    def _set_mark(self, paper: Paper, *, read: bool | None = None, bookmarked: bool | None = None) -> None:
        """Change a mark through the session (so the header counts and the index stay
        right), and repaint the row."""
        if not self._ensure_store():
            return
        self.note_undoable(paper, read, bookmarked)
        self.session.change_mark(self.store, paper, read=read, bookmarked=bookmarked)
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
        if (paper := self._current()) and self._marks_as_on_disk():
            self._set_mark(paper, read=not self._mark(paper).read)
            self.call_after_refresh(self._show_abstract, paper, True)

    def action_toggle_bookmark(self) -> None:
        if (paper := self._current()) and self._marks_as_on_disk():
            self._set_mark(paper, bookmarked=not self._mark(paper).bookmarked)
            self.call_after_refresh(self._show_abstract, paper, True)

    def _marks_as_on_disk(self) -> bool:
        """Take in what other readers saved before a toggle decides what it means."""
        if not self._ensure_store():
            return False
        self.store.marks.refresh()
        self._check_marks()
        return True

    def action_unread_only(self) -> None:
        if not self._ensure_store():  # the filter needs the marks
            return
        self._note_cursor()
        self.session.toggle_unread_only()
        self._show_papers()

    def action_bookmarks_only(self) -> None:
        if not self._ensure_store():
            return
        self._note_cursor()
        self.session.toggle_bookmarks_only()
        self._show_papers()

    @on(Copied)
    def _on_copied(self, message: Copied) -> None:
        self.notify(message.message, timeout=6, markup=False)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(reader_groups(self)))

    def show_marks_changed_elsewhere(self) -> None:
        """Marks merged from another reader or machine: recount, repaint the rows and the
        abstract. The shown list stays as it is, as after a mark made here."""
        marks = self.store.marks  # what is painted now: the next check skips it
        self._merged_seen, self._save_error_shown = marks.merged_version, marks.save_error
        self.session.recount()
        self.paper_list.refresh()
        self._refresh_status()
        paper = self.paper_list.current
        if paper is not None:
            self._show_abstract(paper, keep_scroll=True)
