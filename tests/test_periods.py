"""Periods: CLI parsing, stepping with [ and ], listing names and header labels."""

from __future__ import annotations

from datetime import date

import pytest

from reader.sources.periods import Period


def test_parse_day_normalises() -> None:
    assert Period("day", "2025-03-18") == Period("day", "2025-03-18")
    assert Period("day", " 2025-3-8 ").value == "2025-03-08"


def test_future_day_parses() -> None:
    assert Period("day", "2099-01-01").value == "2099-01-01"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2025-02-30", "February 2025 has 28 days"),
        ("2024-02-30", "February 2024 has 29 days"),
        ("2025-13-01", "no month 13"),
        ("2025-00-10", "no month 0"),
        ("18/03/2025", "expected YYYY-MM-DD"),
        ("", "expected YYYY-MM-DD"),
        ("2025-03-18T00:00", "expected YYYY-MM-DD"),
        ("0000-01-01", "year out of range"),
    ],
)
def test_bad_days(text: str, words: str) -> None:
    with pytest.raises(ValueError) as caught:
        Period("day", text)
    message = str(caught.value)
    assert words in message
    assert "\n" not in message


def test_parse_week() -> None:
    assert Period("week", "2025-W12").value == "2025-W12"
    assert Period("week", "2025-w3").value == "2025-W03"
    assert Period("week", "2026-W53").value == "2026-W53"  # 2026 has 53 ISO weeks


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2025-W54", "ISO weeks 1 to 52"),
        ("2025-W53", "ISO weeks 1 to 52"),
        ("2025-W00", "ISO weeks 1 to 52"),
        ("2025-12", "expected YYYY-Www"),
        ("W12", "expected YYYY-Www"),
    ],
)
def test_bad_weeks(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        Period("week", text)


def test_parse_month() -> None:
    assert Period("month", "2025-03").value == "2025-03"
    assert Period("month", "2025-3").value == "2025-03"
    for bad in ("2025-13", "2025-00", "2025", "2025-03-01", "March"):
        with pytest.raises(ValueError, match="month"):
            Period("month", bad)


def test_step_day_crosses_months_and_years() -> None:
    assert Period("day", "2025-03-01").step(-1).value == "2025-02-28"
    assert Period("day", "2024-12-31").step(1).value == "2025-01-01"
    assert Period("day", "2025-03-18").step(0) == Period("day", "2025-03-18")


def test_step_week_crosses_years() -> None:
    assert Period("week", "2025-W01").step(-1).value == "2024-W52"
    assert Period("week", "2020-W53").step(1).value == "2021-W01"
    assert Period("week", "2025-W12").step(2).value == "2025-W14"


def test_step_month() -> None:
    assert Period("month", "2025-01").step(-1).value == "2024-12"
    assert Period("month", "2025-12").step(1).value == "2026-01"
    assert Period("month", "2025-03").step(-15).value == "2023-12"


@pytest.mark.parametrize("kind, value, delta, words", [
    ("day", "9998-12-31", 1, "no day after 9998-12-31"),
    ("day", "0001-01-01", -1, "no day before 0001-01-01"),
    ("week", "9998-W53", 1, "no week after 9998-W53"),
    ("week", "0001-W01", -1, "no week before 0001-W01"),
    ("month", "9998-12", 1, "no month after 9998-12"),
    ("month", "0001-01", -1, "no month before 0001-01"),
    ("day", "2025-03-18", 10**9, "no day after 2025-03-18"),
])
def test_stepping_past_the_calendar_is_a_one_line_value_error(kind: str, value: str, delta: int, words: str) -> None:
    with pytest.raises(ValueError) as caught:
        Period(kind, value).step(delta)  # type: ignore[arg-type]
    assert type(caught.value) is ValueError
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_the_calendar_edges_themselves_step_inwards() -> None:
    assert Period("day", "9998-12-31").step(-1).value == "9998-12-30"
    assert Period("week", "0001-W01").step(1).value == "0001-W02"
    assert Period("month", "0001-01").step(1).value == "0001-02"


def test_trending_and_search_do_not_step() -> None:
    trending = Period("trending")
    search = Period("search", "alignment")
    assert trending.step(1) is trending
    assert search.step(-1) is search
    assert not trending.steppable and not search.steppable


def test_listing_names_round_trip() -> None:
    periods = [
        Period("day", "2025-03-18"),
        Period("week", "2025-W12"),
        Period("month", "2025-03"),
        Period("trending"),
        Period("search", "alignment"),
    ]
    names = [p.listing_name for p in periods]
    assert names == ["day:2025-03-18", "week:2025-W12", "month:2025-03", "trending",
                     "search:alignment"]
    assert [Period.from_listing_name(n) for n in names] == periods
    assert Period.from_listing_name("file:x.html") is None
    assert Period.from_listing_name("day:nonsense") is None


def test_labels() -> None:
    assert Period("day", "2025-03-18").label == "Daily papers · Tue 18 Mar 2025"
    assert Period("week", "2025-W12").label == "Weekly papers · 2025-W12"
    assert Period("month", "2025-03").label == "Monthly papers · March 2025"
    assert Period("trending").label == "Trending papers"
    assert Period("search", "alignment").label == "Search · alignment"


def test_search_query_is_tidied_and_required() -> None:
    assert Period("search", "  reward   models ").value == "reward models"
    with pytest.raises(ValueError, match="empty search"):
        Period("search", "   ")


def test_constructors_from_dates() -> None:
    tuesday = date(2025, 3, 18)
    assert Period.for_day(tuesday).value == "2025-03-18"
    assert Period.for_week(tuesday).value == "2025-W12"
    assert Period.for_week(date(2024, 12, 30)).value == "2025-W01"
    assert Period.for_month(tuesday).value == "2025-03"
    assert Period("week", "2025-W12").start == date(2025, 3, 17)
    assert Period("trending").start is None


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown list kind"):
        Period("year", "2025")  # type: ignore[arg-type]


def test_periods_are_hashable_values() -> None:
    assert len({Period("day", "2025-03-18"), Period("day", "2025-3-18")}) == 1
