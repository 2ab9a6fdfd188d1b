"""The "for you" order: a list ranked by likeness to the papers the user bookmarked."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from reader.model import Paper
from reader.similar.likeness import Likeness


class BookmarkFlags(Protocol):
    """Where the bookmarks are read (``Store`` fits)."""

    def mark_flags(self, papers: Sequence[Paper]) -> tuple[bytearray, bytearray]: ...


def bookmarked_keys(library: Sequence[Paper], marks: BookmarkFlags) -> list[str]:
    """The keys of the bookmarked papers of ``library``."""
    _, bookmarked = marks.mark_flags(library)
    return [paper.key for paper, flag in zip(library, bookmarked) if flag]


def rank_by_liking(model: Likeness, papers: Sequence[Paper], liked: Sequence[str]) -> list[Paper]:
    """``papers``, most like the ``liked`` papers first; papers sharing no word with them
    (or not read by the model yet) keep their order after the rest. Without liked papers,
    the order is unchanged."""
    scores = model.liking(liked) if liked else {}
    if not scores:
        return list(papers)
    order = sorted(range(len(papers)), key=lambda i: (-scores.get(papers[i].key, 0.0), i))
    return [papers[i] for i in order]


def for_you(model: Likeness, library: Callable[[], Sequence[Paper]], marks: BookmarkFlags) -> Callable[[Sequence[Paper]], list[Paper]]:
    """``rank(papers) -> papers`` for the sort key: the bookmarks among ``library()`` (read
    afresh at each call, so a new bookmark counts at once) make the profile."""

    def rank(papers: Sequence[Paper]) -> list[Paper]:
        return rank_by_liking(model, papers, bookmarked_keys(library(), marks))

    return rank
