"""TF-IDF weights of a paper's words, and the few that stand for it.

A word weighs ``(1 + ln count) · ln(1 + N / df)``: frequent in this paper, rare in the
library. Words in more than half the papers tell none apart and weigh nothing. Each paper
keeps only its ``TOP_TERMS`` heaviest words, scaled to unit length, so a likeness is the
cosine of two short vectors and a question reads a few dozen postings lists. A word no
other paper holds (a name, a typo) would be the heaviest of all and match nothing, so a
paper's words are chosen among those at least two papers share.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Iterable, Sequence
from math import log, sqrt
from typing import Protocol

TOP_TERMS = 32
MAX_SHARE = 0.5
SHARE_FROM = 20  # papers; in a smaller library every word may tell papers apart
SHARED = 2  # papers holding a word before it stands for one: a word of one paper alone matches none


class Frequencies(Protocol):
    """Document frequency by word id (an ``array`` or a ``dict`` both fit)."""

    def __getitem__(self, term: int, /) -> int: ...


def idf(df: int, papers: int) -> float:
    return log(1.0 + papers / df)


MAX_COUNT = 255  # counts are kept in a byte
_TF = tuple(1.0 + log(count) if count else 0.0 for count in range(MAX_COUNT + 1))


def _ceiling(papers: int) -> float:
    return papers * MAX_SHARE if papers >= SHARE_FROM else float("inf")


def idf_table(df: Sequence[int], papers: int) -> array:
    """Each word's idf by id, 0 for a word only one paper holds or too common to count:
    worked out once for a weighing of the whole library."""
    ceiling = _ceiling(papers)
    return array("d", (log(1.0 + papers / f) if SHARED <= f <= ceiling else 0.0 for f in df))


def weigh(
    terms: Iterable[tuple[int, int]], df: Frequencies, papers: int, keep: int = TOP_TERMS, least: int = SHARED
) -> list[tuple[int, float]]:
    """(word id, weight) of the ``keep`` heaviest of ``terms`` ((word id, count) pairs) held
    by at least ``least`` papers, at unit length; empty when no word tells the paper apart."""
    ceiling = _ceiling(papers)
    scored: list[tuple[float, int]] = []
    for term, count in terms:
        frequency = df[term]
        if least <= frequency <= ceiling:
            scored.append((_TF[min(count, MAX_COUNT)] * log(1.0 + papers / frequency), term))
    return _unit_top(scored, keep)


def weigh_by_idf(terms: Iterable[tuple[int, int]], idfs: Sequence[float], keep: int = TOP_TERMS) -> list[tuple[int, float]]:
    """:func:`weigh` with the idf of every word worked out beforehand (:func:`idf_table`)."""
    scored = [(_TF[count] * idfs[term], term) for term, count in terms]
    return _unit_top([pair for pair in scored if pair[0] > 0.0], keep)


def _unit_top(scored: list[tuple[float, int]], keep: int) -> list[tuple[int, float]]:
    top = heapq.nlargest(keep, scored) if len(scored) > keep else scored
    norm = sqrt(sum(weight * weight for weight, _ in top))
    if not norm:
        return []
    return [(term, weight / norm) for weight, term in top]


def add_into(total: dict[int, float], vector: Iterable[tuple[int, float]]) -> None:
    """Add a unit vector into a sum (a profile of several papers)."""
    for term, weight in vector:
        total[term] = total.get(term, 0.0) + weight


def top_of(total: dict[int, float], keep: int) -> list[tuple[int, float]]:
    """The ``keep`` heaviest words of a sum, at unit length."""
    top = heapq.nlargest(keep, total.items(), key=lambda item: item[1])
    norm = sqrt(sum(weight * weight for _, weight in top))
    return [(term, weight / norm) for term, weight in top] if norm else []
