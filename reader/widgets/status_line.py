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
    searching: bool = False
    filters: tuple[str, ...] = ()
    new: int = 0  # papers of the list that are new this visit
    new_since: str | None = None  # when the last visit saw papers, e.g. "Tue 09:14"


class StatusLine(Static):
    """One line (two when there is a notice) at the top of the screen."""

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

    _had_notice = False

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
        line.append(f" · {status.unread} unread · {status.bookmarked} ★")
        if status.new:
            since = f" since {status.new_since}" if status.new_since else ""
            line.append(f" · {status.new} new{since}", "bold")
        if status.filters:
            line.append("  [" + ", ".join(status.filters) + "]", "italic")
        if status.notice:
            line.append("\n")
            line.append(status.notice, "italic yellow")
        # A new layout costs a full repaint (~20 ms): only when the height changes.
        self.update(line, layout=bool(status.notice) != self._had_notice)
        self._had_notice = bool(status.notice)
