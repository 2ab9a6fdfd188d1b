"""Where a list comes from: live, a saved file, the bundled sample, or the local library.

The one place that decides, shared by the ``export`` command and the UI worker, so both
fall back the same way when the network fails: the saved copy of that list, then the
library, then (first run) the bundled sample, always with a one-line notice saying so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from reader.model import FetchError
from reader.model import Paper
from reader.sources import Period
from reader.resources import sample_text

if TYPE_CHECKING:
    from reader.sources import LiveSource
    from reader.library import SavedListing, Store

RequestKind = Literal["live", "latest", "file", "sample", "library"]

SAMPLE_LISTING = "sample"
SAMPLE_TITLE = "Sample papers · a search for “alignment”"
LIBRARY_TITLE = "Library · every paper seen"


@dataclass
class Request:
    """What to show: a live ``period``, the latest day, a ``path``, the sample or the library."""

    kind: RequestKind
    period: Period | None = None
    path: Path | None = None

    def __post_init__(self) -> None:
        if self.kind == "live" and self.period is None:
            raise ValueError("a live request needs a period")
        if self.kind == "file" and self.path is None:
            raise ValueError("a file request needs a path")
        if self.kind not in ("live", "latest", "file", "sample", "library"):
            raise ValueError(f"unknown request kind {self.kind!r}")


@dataclass
class Listing:
    """A list ready to show.

    ``period`` is the period the list stands for (what ``[``/``]`` and refresh step
    from), kept even when an offline fallback shows something else. ``offline`` is true
    when the network was wanted but not used or not reached; ``notice`` then says what
    is shown instead, and why.
    """

    papers: list[Paper]
    title: str
    period: Period | None = None
    notice: str | None = None
    offline: bool = False


def sample_papers() -> list[Paper]:
    """The bundled sample: a text dump of a Hugging Face search for "alignment"."""
    from reader.sources import parse_text_dump

    return parse_text_dump(sample_text())


def _import_sample(store: Store) -> list[Paper]:
    return store.add_papers(sample_papers(), listing=SAMPLE_LISTING)


def load(request: Request, store: Store, live: LiveSource | None, *,
         today: date | None = None) -> Listing:
    """The list ``request`` asks for; ``live=None`` means never use the network.

    Raises ``ParseError`` for an unreadable ``file`` (the caller reports it), never
    ``FetchError``: network failures become a fallback listing with a notice.
    """
    if request.kind == "live":
        assert request.period is not None
        return _live(request.period, store, live)
    if request.kind == "latest":
        return _latest(today or datetime.now(timezone.utc).date(), store, live)
    if request.kind == "file":
        assert request.path is not None
        return _file(request.path, store)
    if request.kind == "sample":
        return Listing(_import_sample(store), SAMPLE_TITLE)
    papers = store.library()
    notice = None if papers else "the library is empty — run without --offline to fetch papers"
    return Listing(papers, LIBRARY_TITLE, notice=notice)


def _live(period: Period, store: Store, live: LiveSource | None) -> Listing:
    error: FetchError | None = None
    if live is not None:
        try:
            result = live.fetch(period)
        except FetchError as failed:
            error = failed
        else:
            papers = store.add_papers(result.papers, listing=result.period.listing_name)
            return Listing(papers, result.period.label, result.period,
                           None if papers else _empty_notice(result.period))
    saved = store.saved_listing(period.listing_name)
    if saved is not None:
        return _from_saved(saved, period.label, period, error)
    if error is not None and _request_refused(error):
        # The list itself does not exist (a future date, say): another list would mislead.
        return Listing([], period.label, period, str(error))
    return _library_or_sample(store, error, period)


def _latest(today: date, store: Store, live: LiveSource | None) -> Listing:
    error: FetchError | None = None
    if live is not None:
        try:
            result = live.fetch_latest_day(today)
        except FetchError as failed:
            error = failed
        else:
            papers = store.add_papers(result.papers, listing=result.period.listing_name)
            notice = None if papers else "no daily papers on Hugging Face in the last week"
            return Listing(papers, result.period.label, result.period, notice)
    saved = store.latest_listing("day:")
    if saved is not None:
        period = Period.from_listing_name(saved.name)
        title = period.label if period else "Daily papers · latest saved"
        return _from_saved(saved, title, period or Period.for_day(today), error)
    return _library_or_sample(store, error, Period.for_day(today))


def _from_saved(saved: SavedListing, title: str, period: Period, error: FetchError | None) -> Listing:
    """A list as it was last fetched, saying so (and why the network was not asked)."""
    notice = _offline_notice(f"the library's copy from {_when(saved.fetched_at)}", error)
    return Listing(list(saved.papers), title, period, notice, offline=True)


def _library_or_sample(store: Store, error: FetchError | None, period: Period) -> Listing:
    papers = store.library()
    if papers:
        return Listing(papers, LIBRARY_TITLE, period,
                       _offline_notice("the local library", error), offline=True)
    return Listing(_import_sample(store), SAMPLE_TITLE, period,
                   _offline_notice("the bundled sample", error), offline=True)


def _file(path: Path, store: Store) -> Listing:
    from reader.sources import clean_text, read_paper_file

    name = clean_text(path.name)  # a file's name can hold escape sequences too
    papers = store.add_papers(read_paper_file(path), listing=f"file:{name}")
    return Listing(papers, f"File · {name}")


# -- notices ------------------------------------------------------------------------------


def _offline_notice(what: str, error: FetchError | None) -> str:
    reason = f" ({error})" if error is not None else ""
    return f"offline — showing {what}{reason}"


def _request_refused(error: FetchError) -> bool:
    """A 400: the list does not exist (a future or invalid date); asking again will not help."""
    return error.status in (400, 422)


def _empty_notice(period: Period) -> str:
    if period.kind == "day":
        return "no papers on Hugging Face for this day (weekends and early mornings have none)"
    if period.kind in ("week", "month"):
        return f"no papers on Hugging Face for this {period.kind}"
    if period.kind == "trending":
        return "no trending papers on Hugging Face right now"
    return f"no papers on Hugging Face match “{period.value}”"


def _when(fetched_at: Any) -> str:
    """An ISO timestamp as local ``YYYY-MM-DD HH:MM`` (as given if it is not ISO)."""
    try:
        moment = datetime.fromisoformat(str(fetched_at))
    except ValueError:
        return str(fetched_at)
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")
