"""The header line: what is shown, where it came from, and the counts."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static


@dataclass(slots=True)
class Status:
    """Everything the header says; the screen fills it in and hands it down."""

    title: str = "paper-reader"
    notice: str | None = None
    loading: bool = False
    indexing: bool = False  # search scans paper by paper until the index is ready
    scanned: int = 0  # while indexing, the newest papers a search looked at (0: all of them)
    total: int = 0
    shown: int = 0
    unread: int = 0
    bookmarked: int = 0
    marks_pending: bool = False  # the marks are still being read: no counts of them yet
    searching: bool = False
    filters: tuple[str, ...] = ()
    new: int = 0  # papers of the list that are new this visit
    new_since: str | None = None  # when the last visit saw papers, e.g. "Tue 09:14"


class StatusLine(Static):
    """One line at the top of the screen; two from the first notice on."""

    DEFAULT_CSS = """
    StatusLine {
        height: auto;
        max-height: 2;
        background: $primary-background;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    _two_rows = False

    def show(self, status: Status) -> None:
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        line.append(status.title, "bold")
        if status.loading:
            line.append("  · loading…", "italic")
        elif status.indexing:
            line.append("  · indexing…", "italic")
        counts = f"  {status.shown} shown" if status.shown != status.total else f"  {status.total} papers"
        if status.scanned:
            counts = f"  {status.shown} of newest {status.scanned} match"
        elif status.searching:
            counts = f"  {status.shown} of {status.total} match"
        line.append(counts)
        if status.marks_pending:
            line.append(" · reading marks…", "italic")
        else:
            line.append(f" · {status.unread} unread · {status.bookmarked} ★")
        if status.new:
            since = f" since {status.new_since}" if status.new_since else ""
            line.append(f" · {status.new} new{since}", "bold")
        if status.filters:
            line.append("  [" + ", ".join(status.filters) + "]", "italic")
        # Once a notice has been shown the line keeps its second row, empty when there is
        # no notice: switching to a view without one neither moves the list nor costs a
        # new layout (a full repaint, ~20 ms).
        two_rows = self._two_rows or bool(status.notice)
        if two_rows:
            line.append("\n")
            line.append(status.notice or "", "italic yellow")
        self.update(line, layout=two_rows != self._two_rows)
        self._two_rows = two_rows
