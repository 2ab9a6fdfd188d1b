"""The search language on plain papers: no UI, no store."""

from __future__ import annotations

from dataclasses import dataclass

from reader.model.paper import Paper
from reader.search.query import Term, highlight_spans, parse_query, scan
from reader.search.index import SearchIndex


@dataclass
class FakeMark:
    read: bool = False
    bookmarked: bool = False
    new: bool = True


PAPERS = [
    Paper("Direct Preference Optimization", "We align models with preferences.", authors=["Rafael Rafailov", "Archit Sharma"]),
    Paper("Alignment for Honesty", "Honesty is a virtue; code at github.", authors=["Yuqing Yang"], code_url="https://github.com/x/y"),
    Paper("Scaling Laws", "Loss falls as a power law of compute.", authors=["Jared Kaplan"]),
    Paper("A Survey of Alignment", "We survey RLHF and DPO methods.", authors=["Ana Sharma"]),
]
MARKS = {PAPERS[0].key: FakeMark(read=True, new=False), PAPERS[3].key: FakeMark(bookmarked=True)}


def marks(paper: Paper) -> FakeMark:
    return MARKS.get(paper.key, FakeMark())


class FakeMarks:
    """A mark source for the index: the MARKS table, with a version bumped on change."""

    marks_version = 0

    def mark_flags(self, papers: list[Paper]) -> tuple[bytearray, bytearray]:
        return bytearray(marks(p).read for p in papers), bytearray(marks(p).bookmarked for p in papers)

    def new_flags(self, papers: list[Paper]) -> bytearray:
        return bytearray(marks(p).new for p in papers)


def titles(query: str) -> list[str]:
    """What both the paper-by-paper scan and the index find; they must agree."""
    parsed = parse_query(query)
    scanned = [PAPERS[i].title for i in scan(PAPERS, parsed, marks)]
    indexed = [PAPERS[i].title for i in SearchIndex.build(PAPERS, FakeMarks()).filter(parsed)]
    assert indexed == scanned
    return scanned


def test_parse_words_phrases_negation_fields_and_filters() -> None:
    query = parse_query('Align "power law" -survey title:Honesty author:sharma is:unread has:code is:nonsense')
    assert query.terms == [
        Term("align"),
        Term("power law"),
        Term("survey", negated=True),
        Term("honesty", "title"),
        Term("sharma", "author"),
        Term("is:nonsense"),
    ]
    assert query.states == ["unread"]
    assert query.has_code


def test_an_unclosed_quote_runs_to_the_end() -> None:
    assert parse_query('"power la').terms == [Term("power la")]


def test_words_match_title_abstract_or_authors_case_insensitively() -> None:
    assert titles("ALIGN") == ["Direct Preference Optimization", "Alignment for Honesty", "A Survey of Alignment"]
    assert titles("kaplan") == ["Scaling Laws"]
    assert titles("power law compute") == ["Scaling Laws"]


def test_all_words_must_match_and_minus_excludes() -> None:
    assert titles("alignment survey") == ["A Survey of Alignment"]
    assert titles("alignment -survey") == ["Alignment for Honesty"]
    assert titles('"power law"') == ["Scaling Laws"]
    assert titles('"law power"') == []


def test_fields_and_state_filters() -> None:
    assert titles("title:alignment") == ["Alignment for Honesty", "A Survey of Alignment"]
    assert titles("author:sharma") == ["Direct Preference Optimization", "A Survey of Alignment"]
    assert titles("title:sharma") == []
    assert titles("is:read") == ["Direct Preference Optimization"]
    assert titles("is:unread") == ["Alignment for Honesty", "Scaling Laws", "A Survey of Alignment"]
    assert titles("is:bookmarked") == ["A Survey of Alignment"]
    assert titles("has:code") == ["Alignment for Honesty"]
    assert titles("has:code is:read") == []


def test_highlight_spans_find_every_needle_case_insensitively() -> None:
    text = "Alignment for honesty: HONESTY matters"
    spans = highlight_spans(text, ["honesty", "align"])
    assert [text[a:b] for a, b in spans] == ["Align", "honesty", "HONESTY"]
    assert highlight_spans(text, []) == []
    assert highlight_spans("a [bold] b", ["[bold]"]) == [(2, 8)]


def test_quoted_text_is_taken_as_typed_and_filters_can_be_negated() -> None:
    assert parse_query('"is:read"').terms == [Term("is:read")] and parse_query('"is:read"').states == []
    assert parse_query('"-shot learning"').terms == [Term("-shot learning")]
    assert parse_query('title:"for honesty"').terms == [Term("for honesty", "title")]
    assert parse_query('-"power law"').terms == [Term("power law", negated=True)]
    assert parse_query("re:lu").terms == [Term("re:lu")]
    assert parse_query("-is:read -is:bookmarked").states == ["unread", "unbookmarked"]
    assert parse_query("-has:code").has_code is False
    assert titles("-is:read") == titles("is:unread")
    assert titles("-has:code") == ["Direct Preference Optimization", "Scaling Laws", "A Survey of Alignment"]
    assert titles("-is:bookmarked") == ["Direct Preference Optimization", "Alignment for Honesty", "Scaling Laws"]
    assert titles('title:"for honesty"') == ["Alignment for Honesty"]


def test_highlights_go_where_the_term_matched() -> None:
    query = parse_query("title:alignment honesty author:yang -survey")
    assert query.highlights("title") == ["alignment", "honesty"]
    assert query.highlights("author") == ["honesty", "yang"]
    assert query.highlights(None) == ["honesty"]
