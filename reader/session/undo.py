"""The last mark changes, so `z` can take them back (marking a whole list read is one change)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from reader.model import Paper
from reader.session.reading import MarkWriter

UNDO_DEPTH = 50  # changes kept; older ones can no longer be undone


class MarkChange(NamedTuple):
    """``what`` was done (for the notification) and each paper's read and bookmark before."""

    what: str
    before: tuple[tuple[Paper, bool, bool], ...]


class MarkUndo:
    """A stack of mark changes; ``undo`` restores the newest through a ``MarkWriter``."""

    def __init__(self) -> None:
        self._changes: list[MarkChange] = []

    def __len__(self) -> int:
        return len(self._changes)

    def record(self, what: str, store: MarkWriter, papers: Sequence[Paper]) -> None:
        """Note the marks of ``papers`` as they are, before ``what`` changes them."""
        before = tuple((paper, *_flags(store, paper)) for paper in papers)
        if before:
            self._changes.append(MarkChange(what, before))
            del self._changes[:-UNDO_DEPTH]

    @property
    def next_undo(self) -> str | None:
        """What `z` would undo now."""
        return self._changes[-1].what if self._changes else None

    def undo(self, set_marks: Callable[[Paper, bool, bool], None]) -> MarkChange | None:
        """Take back the newest change: ``set_marks(paper, read, bookmarked)`` for each paper."""
        if not self._changes:
            return None
        change = self._changes.pop()
        for paper, read, bookmarked in change.before:
            set_marks(paper, read, bookmarked)
        return change


def _flags(store: MarkWriter, paper: Paper) -> tuple[bool, bool]:
    mark = store.mark(paper)
    return mark.read, mark.bookmarked
