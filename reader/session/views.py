"""The site's views side by side: Daily · Weekly · Monthly · Trending · Library (· Search).

Each view is one ``ReadingSession`` with its own request, sort order and scroll, so moving
between them keeps every list as the reader left it, and a view already loaded is shown
again without fetching. Textual-free: the screen binds keys to these and paints them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import NamedTuple

from reader.library import Tally
from reader.model import Paper
from reader.session.loader import Listing, Request
from reader.session.reading import HubKnowledge, MarkKeeper, ReadingSession
from reader.sources import Period

Rank = Callable[[Sequence[Paper]], list[Paper]]
"""A ranking of papers for one reader ("for you"), best first."""

VIEW_NAMES = ("Daily", "Weekly", "Monthly", "Trending", "Library", "Search")
SEARCH = 5  # the Search view's place: there once a Hugging Face search was made
_KIND_VIEW = {"day": 0, "week": 1, "month": 2, "trending": 3, "search": SEARCH}


class SortOrder(NamedTuple):
    """One way to order a list: ``name`` for the header, ``arrange`` to apply it."""

    name: str
    arrange: Callable[[Sequence[Paper]], list[Paper]]


def _site(papers: Sequence[Paper]) -> list[Paper]:
    return list(papers)


def _upvoted(papers: Sequence[Paper]) -> list[Paper]:
    return sorted(papers, key=lambda p: -(p.upvotes or 0))


def _newest(papers: Sequence[Paper]) -> list[Paper]:
    dated = sorted((p for p in papers if p.published), key=lambda p: p.published or "", reverse=True)
    return dated + [p for p in papers if not p.published]


def _starred(papers: Sequence[Paper]) -> list[Paper]:
    return sorted(papers, key=lambda p: -(p.github_stars or 0))


def sort_orders(rank: Rank | None = None) -> list[SortOrder]:
    """The orders `s` cycles through; "for you" only when a ``rank`` is given."""
    orders = [SortOrder("site's order", _site), SortOrder("most upvoted", _upvoted),
              SortOrder("newest", _newest), SortOrder("most code stars", _starred)]
    if rank is not None:
        orders.append(SortOrder("for you", lambda papers: list(rank(papers))))
    return orders


def period_of(text: str, today: date) -> Period:
    """What `:` was given: ``2025-03-18``, ``2025-W12``, ``2025-03``, ``today``,
    ``yesterday`` or ``trending``; ``ValueError`` (one line) for anything else."""
    entry = text.strip().lower()
    if not entry:
        raise ValueError("give a period: 2025-03-18, 2025-W12, 2025-03, today, yesterday or trending")
    if entry == "today":
        return Period.for_day(today)
    if entry == "yesterday":
        return Period.for_day(today - timedelta(days=1))
    if entry == "trending":
        return Period("trending")
    if "w" in entry:
        return Period("week", entry)
    if entry.count("-") == 1:
        return Period("month", entry)
    if entry.count("-") == 2:
        return Period("day", entry)
    raise ValueError(f"not a period: {text.strip()!r} (try 2025-03-18, 2025-W12, 2025-03, today, yesterday, trending)")


@dataclass
class View:
    """One tab: what it asks for, how it is being read, and how it is ordered."""

    name: str
    request: Request | None
    session: ReadingSession
    listing: Listing | None = None  # as the source gave it, in the site's order
    order: int = 0
    scroll: int = 0
    started: bool = False  # a load was asked for (its list may still be coming)
    new: int = 0  # papers of the list that were new when this visit began
    counted: int = -1  # the marks' version its counts were last right for

    @property
    def number(self) -> int:
        """Its tab's number and key: 1…6, and 7 for the file or sample the reader started on."""
        return VIEW_NAMES.index(self.name) + 1 if self.name in VIEW_NAMES else len(VIEW_NAMES) + 1

    @property
    def loaded(self) -> bool:
        return self.listing is not None


def initial_requests(today: date) -> list[Request]:
    """What each view asks for until the reader goes elsewhere in it."""
    return [Request("latest"), Request("live", Period.for_week(today)), Request("live", Period.for_month(today)),
            Request("live", Period("trending")), Request("library")]


class Views:
    """The views and which one is shown. ``start`` is the list the reader was started on:
    its view is the first shown (a file or the sample gets a view of its own)."""

    def __init__(self, marks: MarkKeeper, start: Request, today: date, rank: Rank | None = None,
                 hub: HubKnowledge | None = None) -> None:
        self.orders = sort_orders(rank)
        self.views = [View(name, request, ReadingSession(marks, hub))
                      for name, request in zip(VIEW_NAMES, [*initial_requests(today), None])]
        place = self.place_of(start)
        if place is None:
            self.views.append(View("File" if start.kind == "file" else "Sample", start, ReadingSession(marks, hub)))
            place = len(self.views) - 1
        self.views[place].request = start
        self.current = self.views[place]

    def place_of(self, request: Request) -> int | None:
        """The view ``request`` belongs to (None: a file or the sample)."""
        if request.kind == "latest":
            return 0
        if request.kind == "library":
            return 4
        if request.kind == "live" and request.period is not None:
            return _KIND_VIEW[request.period.kind]
        return None

    def tabs(self) -> list[tuple[int, str, bool]]:
        """(number, name, is current) of each view that can be shown."""
        return [(view.number, view.name, view is self.current) for view in self.views
                if view.request is not None]

    def by_number(self, number: int) -> View | None:
        """The view `number` shows; None for a Search view before any search, or 7 when the
        reader was not started on a file or the sample."""
        if number == len(VIEW_NAMES) + 1:
            return self.views[-1] if len(self.views) > len(VIEW_NAMES) else None
        if not 1 <= number <= len(VIEW_NAMES):
            return None
        view = self.views[number - 1]
        return view if view.request is not None else None

    def named(self, name: str) -> View | None:
        """The view called ``name`` (a loader names the view it loads for)."""
        return next((view for view in self.views if view.name == name), None)

    def for_request(self, request: Request) -> View:
        """The view ``request`` opens in, now asking for it (its list is to be loaded)."""
        place = self.place_of(request)
        view = self.views[place] if place is not None else self.current
        view.request = request
        return view

    def all_sessions(self) -> list[ReadingSession]:
        return [view.session for view in self.views]

    # order ------------------------------------------------------------------------------

    def order_name(self, view: View) -> str:
        return self.orders[view.order % len(self.orders)].name

    def show(self, view: View, listing: Listing, partial: bool = False, tally: Tally | None = None) -> None:
        """Read ``listing`` in ``view``, in the view's order; ``tally``: its marks counted
        already (in the loader's worker), still right for the marks of now."""
        view.listing = listing
        tally = tally or view.session.marks.tally(listing.papers)
        view.session.show(self._arranged(view, listing), partial=partial, tally=tally)
        view.new = tally.new

    def cycle_order(self, view: View) -> str:
        """The view's next order (the cursor stays on its paper); returns its name."""
        view.order = (view.order + 1) % len(self.orders)
        if view.listing is not None:
            counts = view.session.counts  # an order changes no count: the list is not counted again
            same = Tally(counts.unread, counts.bookmarked, view.new, -1)
            view.session.show(self._arranged(view, view.listing), partial=view.session.loading, tally=same)
        return self.order_name(view)

    def _arranged(self, view: View, listing: Listing) -> Listing:
        if view.order == 0:
            return listing
        return replace(listing, papers=self.orders[view.order].arrange(listing.papers))
