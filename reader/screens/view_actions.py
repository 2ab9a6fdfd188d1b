"""The reading screen's keys for the site's views and the reading state across a list.

`1`…`6` switch views, `:` goes to a period, `S` searches Hugging Face, `s` cycles the
order, `n`/`N` step through the unread papers, `A` marks every paper shown read and `z`
undoes the last mark change. A mixin of ``MainScreen``: the views are ``Views`` (one
``ReadingSession`` each), this module only binds keys to them and repaints.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.binding import Binding

from reader.model import Paper
from reader.session import Request, View, period_of
from reader.sources import Period
from reader.screens.line_prompt import LinePrompt

if TYPE_CHECKING:
    from reader.screens.main import MainScreen

VIEW_BINDINGS = [
    Binding("1", "view(1)", "Daily", show=False, id="view_daily"),
    Binding("2", "view(2)", "Weekly", show=False, id="view_weekly"),
    Binding("3", "view(3)", "Monthly", show=False, id="view_monthly"),
    Binding("4", "view(4)", "Trending", show=False, id="view_trending"),
    Binding("5", "view(5)", "Library", show=False, id="view_library"),
    Binding("6", "view(6)", "Search view", show=False, id="view_search"),
    Binding("7", "view(7)", "File or sample view", show=False, id="view_file"),
    Binding("colon", "go_to_period", "Go to a period", show=False, id="go_to_period"),
    Binding("S", "search_site", "Search Hugging Face", show=False, id="search_site"),
    Binding("s", "cycle_order", "Order", id="cycle_order"),
    Binding("n", "next_unread", "Next unread", show=False, id="next_unread"),
    Binding("N", "previous_unread", "Previous unread", show=False, id="previous_unread"),
    Binding("A", "mark_all_read", "Mark all shown read", show=False, id="mark_all_read"),
    Binding("z", "undo_mark", "Undo mark", show=False, id="undo_mark"),
]


def short_time(timestamp: float) -> str:
    """``Tue 09:14`` in local time, English day names whatever the locale."""
    moment = datetime.fromtimestamp(timestamp)
    return f"{('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')[moment.weekday()]} {moment:%H:%M}"


class ViewActions:
    """The view keys' actions, for ``MainScreen``."""

    # switching ---------------------------------------------------------------------------

    def action_view(self: MainScreen, number: int) -> None:
        view = self.views.by_number(number)
        if view is None:
            missing = ("No file or sample view: the reader was started on neither." if number == 7
                       else "No Search view yet: press S to search Hugging Face.")
            self.notify(missing, severity="warning")
            return
        self.show_view(view)

    def show_view(self: MainScreen, view: View, *, load: bool = True) -> None:
        """Put ``view`` on screen as it was left; its first visit starts its load."""
        current = self.views.current
        if view is not current:
            self._note_cursor()
            current.scroll = round(self.paper_list.scroll_offset.y)
            self.views.current = view
            if self.store.is_open:
                current.counted = self.store.marks_version  # its counts followed every change
                if view.loaded and view.counted != self.store.marks_version:
                    view.session.recount()  # marks changed while another view was shown
                    view.counted = self.store.marks_version
            with self.search_bar.prevent(self.search_bar.Changed):
                self.search_bar.value = view.session.typed
            self.paper_list.loading = view.session.loading and not view.session.papers
            self.paper_list.set_papers(view.session.shown, cursor=view.session.cursor)
            self.paper_list.scroll_to(y=view.scroll, animate=False, immediate=True)
            self._refresh_status()  # the abstract follows the cursor's Highlighted, a frame later
            self.call_after_refresh(self.see_rows)
            self.index_if_wanted()
        if load and not view.started and view.request is not None:
            self.start_load(view.request, view)

    def index_if_wanted(self: MainScreen) -> None:
        """Build the shown list's index when it wants one (a list of library papers is
        searched in the database, any other in memory)."""
        view = self.views.current
        if view.session.indexing:
            self.loader.build_index(view.session.papers)

    def paint_tabs(self: MainScreen) -> None:
        self.tabs.show(self.views.tabs(), self.views.order_name(self.views.current))

    def news_status(self: MainScreen) -> tuple[int, str | None]:
        """How many of the shown view's papers are new, and since when."""
        view = self.views.current
        last = self.store.marks.last_visit() if self.store.is_open and view.new else None
        return view.new, short_time(last) if last else None

    def see_rows(self: MainScreen) -> None:
        """The rows on screen have been seen: they are no longer new from the next visit."""
        if self.store.is_open:
            rows = self.paper_list.visible_papers()
            if rows:
                self.store.see(rows)

    # going elsewhere ---------------------------------------------------------------------

    def action_step(self: MainScreen, delta: int) -> None:
        """`[` / `]`: the period before or after the shown one."""
        period = self.session.period
        if period is None or not period.steppable:
            self.notify("Only daily, weekly and monthly lists step with [ and ].", severity="warning")
            return
        try:
            target = period.step(delta)
        except ValueError as error:  # past the calendar's ends
            self.notify(str(error), severity="warning")
            return
        self.start_load(Request("live", target))

    def action_reload(self: MainScreen) -> None:
        self.start_load(self.request)

    def action_go_to_period(self: MainScreen) -> None:
        prompt = LinePrompt("go to: 2025-03-18 · 2025-W12 · 2025-03 · today · yesterday · trending")
        self.app.push_screen(prompt, self._go_to)

    def _go_to(self: MainScreen, entry: str | None) -> None:
        if not entry or not entry.strip():
            return
        try:
            period = period_of(entry, self.today)
        except ValueError as error:
            self.notify(str(error), severity="error", timeout=8, markup=False)
            return
        self.open_request(Request("live", period))

    def action_search_site(self: MainScreen) -> None:
        self.app.push_screen(LinePrompt("search Hugging Face papers:"), self._search_site)

    def _search_site(self: MainScreen, query: str | None) -> None:
        if query is None or not query.strip():
            return
        self.open_request(Request("live", Period("search", query)))

    def open_request(self: MainScreen, request: Request) -> None:
        """Show the view ``request`` belongs to and load it there."""
        view = self.views.for_request(request)
        self.show_view(view, load=False)
        self.start_load(request, view)
        self.paint_tabs()

    # order -------------------------------------------------------------------------------

    def action_cycle_order(self: MainScreen) -> None:
        self._note_cursor()
        name = self.views.cycle_order(self.views.current)
        self._show_papers()
        self.index_if_wanted()
        self.notify(f"Order: {name}", timeout=3)

    # reading state -----------------------------------------------------------------------

    def action_next_unread(self: MainScreen) -> None:
        self._step_unread(1)

    def action_previous_unread(self: MainScreen) -> None:
        self._step_unread(-1)

    def _step_unread(self: MainScreen, direction: int) -> None:
        if not self._ensure_store():  # which papers are unread is the marks' to say
            return
        self._note_cursor()
        row, wrapped = self.session.step_unread(direction)
        if row is None:
            self.notify("No unread papers shown.", severity="warning", timeout=4)
            return
        if wrapped:
            where = "top" if direction > 0 else "bottom"
            self.notify(f"Wrapped to the {where}: no more unread papers that way.", timeout=4)
        self.paper_list.cursor = row

    def action_mark_all_read(self: MainScreen) -> None:
        if not self._marks_as_on_disk():
            return
        unread = [paper for paper in self.session.shown if not self.store.mark(paper).read]
        if not unread:
            self.notify("Every paper shown is read already.", timeout=4)
            return
        what = f"marked {len(unread)} papers read"
        self.undo.record(what, self.store, unread)
        for paper in unread:
            self.session.change_mark(self.store, paper, read=True)
        self._marks_repainted()
        self.notify(f"{what.capitalize()} · z undoes it", timeout=6)

    def action_undo_mark(self: MainScreen) -> None:
        if not self._marks_as_on_disk():
            return

        def restore(paper: Paper, read: bool, bookmarked: bool) -> None:
            self.session.change_mark(self.store, paper, read=read, bookmarked=bookmarked)

        change = self.undo.undo(restore)
        if change is None:
            self.notify("Nothing to undo.", severity="warning", timeout=4)
            return
        self._marks_repainted()
        following = self.undo.next_undo
        then = f" · z now undoes: {following}" if following else ""
        self.notify(f"Undone: {change.what}{then}", timeout=6, markup=False)

    def note_undoable(self: MainScreen, paper: Paper, read: bool | None, bookmarked: bool | None) -> None:
        """Keep ``paper``'s marks as they are, before a key changes its read or bookmark."""
        mark = self.store.mark(paper)
        if read is not None and read != mark.read:
            what = f"{'read' if read else 'unread'}: {paper.title}"
        elif bookmarked is not None and bookmarked != mark.bookmarked:
            what = f"{'bookmark' if bookmarked else 'unbookmark'}: {paper.title}"
        else:
            return
        self.undo.record(what, self.store, [paper])

    def _marks_repainted(self: MainScreen) -> None:
        """After marks changed on several papers: this view repaints (the others count
        afresh when shown, as their version of the marks is behind)."""
        self.views.current.counted = self.store.marks_version
        self.paper_list.refresh()
        self._refresh_status()
        paper = self.paper_list.current
        if paper is not None:
            self._show_abstract(paper, keep_scroll=True)
