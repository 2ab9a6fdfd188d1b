"""A paper's words as likeness counts them: lower-cased, stop words and numbers dropped,
plurals folded, and the title's words counted twice (a title says what a paper is about
in a dozen words; its abstract takes two hundred).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

TITLE_WEIGHT = 2
MIN_LENGTH = 2
MAX_LENGTH = 40  # longer runs are URLs, hashes or formulas, not words
JUDGED_CACHE = 1 << 14  # words judged once: the common ones are most of every abstract

_WORD = re.compile(r"[^\W_]{%d,}" % MIN_LENGTH, re.UNICODE)

STOP_WORDS = frozenset(
    """
    a about above across after again against all almost along also although always am among an and
    another any are around as at away be became because become been before being below between both
    but by can cannot could did do does doing done down during each either else enough etc even ever
    every few for from further get gets given gives had has have having he her here hers him his how
    however i if in into is it its itself just least less like made make makes many may me might more
    most much must my near neither no nor not now of off often on once one only onto or other others
    otherwise our ours out over own per perhaps rather same several she should show shows shown since so
    some such than that the their theirs them themselves then there therefore these they this those
    though through thus to too toward towards under until up upon us use used uses using very via was
    we well were what whatever when where whereas whether which while who whom whose why will with
    within without would yet you your
    paper papers propose proposed proposes present presents introduce introduces work approach method
    methods result results show demonstrate new novel based existing first two three
    """.split()
)
"""English function words, and the words nearly every abstract uses to present itself."""


def fold(word: str) -> str:
    """A plural's singular, well enough for counting: "models" and "model" are one word."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _counted(text: str) -> Counter[str]:
    """Each counted word of ``text`` with how often it occurs (the words are counted in C
    first, then each distinct word is judged once)."""
    out: Counter[str] = Counter()
    for word, count in Counter(_WORD.findall(text.lower())).items():
        if (counted := _judged(word)) is not None:
            out[counted] += count
    return out


@lru_cache(maxsize=JUDGED_CACHE)
def _judged(word: str) -> str | None:
    """The word as counted, or None for a stop word, a number or a run too long for a word."""
    if word in STOP_WORDS or len(word) > MAX_LENGTH or word.isdigit():
        return None
    word = fold(word)
    return None if word in STOP_WORDS else word


def words(text: str) -> list[str]:
    """The distinct counted words of ``text``."""
    return list(_counted(text))


def term_counts(title: str, abstract: str) -> Counter[str]:
    """How often each word occurs in a paper, its title's words counted ``TITLE_WEIGHT`` times."""
    counts = _counted(abstract)
    for word, count in _counted(title).items():
        counts[word] += TITLE_WEIGHT * count
    return counts
