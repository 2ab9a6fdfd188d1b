"""Which list is being asked for: a day, an ISO week, a month, trending, or a search.

One small value type shared by the command line, the live source, the store's listing
names and the UI header, so they can never disagree on what "2025-W12" means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

PeriodKind = Literal["day", "week", "month", "trending", "search"]

# English names on purpose: strftime's %a/%B follow the C locale of the process.
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_DAY_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WEEK_RE = re.compile(r"(\d{4})-?[Ww](\d{1,2})")
_MONTH_RE = re.compile(r"(\d{4})-(\d{1,2})")
_SPACES = re.compile(r"\s+")


def _days_in_month(year: int, month: int) -> int:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return (following - timedelta(days=1)).day


def _check_year(year: int, text: str) -> None:
    if not 1 <= year <= 9998:
        raise ValueError(f"year out of range in {text!r}")


def _day_value(text: str) -> str:
    match = _DAY_RE.fullmatch(text.strip())
    if not match:
        raise ValueError(f"bad date {text!r}: expected YYYY-MM-DD, e.g. 2025-03-18")
    year, month, day = (int(g) for g in match.groups())
    _check_year(year, text)
    if not 1 <= month <= 12:
        raise ValueError(f"bad date {text!r}: there is no month {month}")
    last = _days_in_month(year, month)
    if not 1 <= day <= last:
        raise ValueError(f"bad date {text!r}: {_MONTHS[month - 1]} {year} has {last} days")
    return date(year, month, day).isoformat()


def _week_value(text: str) -> str:
    match = _WEEK_RE.fullmatch(text.strip())
    if not match:
        raise ValueError(f"bad week {text!r}: expected YYYY-Www (ISO week), e.g. 2025-W12")
    year, week = int(match.group(1)), int(match.group(2))
    _check_year(year, text)
    weeks = date(year, 12, 28).isocalendar().week  # 28 Dec is always in the last ISO week
    if not 1 <= week <= weeks:
        raise ValueError(f"bad week {text!r}: {year} has ISO weeks 1 to {weeks}")
    return f"{year:04d}-W{week:02d}"


def _month_value(text: str) -> str:
    match = _MONTH_RE.fullmatch(text.strip())
    if not match:
        raise ValueError(f"bad month {text!r}: expected YYYY-MM, e.g. 2025-03")
    year, month = int(match.group(1)), int(match.group(2))
    _check_year(year, text)
    if not 1 <= month <= 12:
        raise ValueError(f"bad month {text!r}: there is no month {month}")
    return f"{year:04d}-{month:02d}"


@dataclass(frozen=True)
class Period:
    """A list request. ``value`` is normalised on creation; a bad one raises ``ValueError``.

    day ``YYYY-MM-DD`` · week ``YYYY-Www`` (ISO) · month ``YYYY-MM`` · search: the query
    (whitespace collapsed) · trending: empty.
    """

    kind: PeriodKind
    value: str = ""

    def __post_init__(self) -> None:
        if self.kind == "day":
            value = _day_value(self.value)
        elif self.kind == "week":
            value = _week_value(self.value)
        elif self.kind == "month":
            value = _month_value(self.value)
        elif self.kind == "search":
            value = _SPACES.sub(" ", self.value).strip()
            if not value:
                raise ValueError("empty search: give some words to search for")
        elif self.kind == "trending":
            value = ""
        else:
            raise ValueError(f"unknown list kind {self.kind!r}")
        object.__setattr__(self, "value", value)

    # -- constructors -------------------------------------------------------------

    @classmethod
    def for_day(cls, day: date) -> Period:
        return cls("day", day.isoformat())

    @classmethod
    def for_week(cls, day: date) -> Period:
        """The ISO week that contains ``day``."""
        iso = day.isocalendar()
        return cls("week", f"{iso.year:04d}-W{iso.week:02d}")

    @classmethod
    def for_month(cls, day: date) -> Period:
        return cls("month", f"{day.year:04d}-{day.month:02d}")

    @classmethod
    def from_listing_name(cls, name: str) -> Period | None:
        """Inverse of :attr:`listing_name`; ``None`` for names that are not periods."""
        if name == "trending":
            return cls("trending")
        kind, sep, value = name.partition(":")
        if not sep or kind not in ("day", "week", "month", "search"):
            return None
        try:
            return cls(kind, value)  # type: ignore[arg-type]
        except ValueError:
            return None

    # -- derived ------------------------------------------------------------------

    @property
    def start(self) -> date | None:
        """First day of a day/week/month period; ``None`` for trending and search."""
        if self.kind == "day":
            return date.fromisoformat(self.value)
        if self.kind == "week":
            year, week = self.value.split("-W")
            return date.fromisocalendar(int(year), int(week), 1)
        if self.kind == "month":
            year, month = self.value.split("-")
            return date(int(year), int(month), 1)
        return None

    @property
    def steppable(self) -> bool:
        return self.kind in ("day", "week", "month")

    def step(self, delta: int) -> Period:
        """The period ``delta`` days/weeks/months away (``[``/``]``); others stay put.

        ``ValueError`` (one line) past the calendar's ends."""
        start = self.start
        if start is None or delta == 0:
            return self
        try:
            if self.kind == "day":
                return Period.for_day(start + timedelta(days=delta))
            if self.kind == "week":
                return Period.for_week(start + timedelta(weeks=delta))
            index = start.year * 12 + start.month - 1 + delta
            return Period.for_month(date(index // 12, index % 12 + 1, 1))
        except (OverflowError, ValueError):  # past year 1 or 9998
            where = "after" if delta > 0 else "before"
            raise ValueError(f"there is no {self.kind} {where} {self.value}: "
                             "dates run from year 1 to 9998") from None

    @property
    def listing_name(self) -> str:
        """The name the store saves this list under, e.g. ``day:2025-03-18``."""
        return "trending" if self.kind == "trending" else f"{self.kind}:{self.value}"

    @property
    def label(self) -> str:
        """A header line, e.g. ``Daily papers · Tue 18 Mar 2025``."""
        start = self.start
        if self.kind == "day" and start is not None:
            weekday, month = _DAYS[start.weekday()], _MONTHS[start.month - 1][:3]
            return f"Daily papers · {weekday} {start.day} {month} {start.year}"
        if self.kind == "week":
            return f"Weekly papers · {self.value}"
        if self.kind == "month" and start is not None:
            return f"Monthly papers · {_MONTHS[start.month - 1]} {start.year}"
        if self.kind == "trending":
            return "Trending papers"
        return f"Search · {self.value}"

    def __str__(self) -> str:
        return self.listing_name
