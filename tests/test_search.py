"""The search language on plain papers: no UI, no store."""

from __future__ import annotations

from dataclasses import dataclass

from reader.data.paper import Paper
from reader.data.search import SearchIndex, Term, highlight_spans, parse_query, refines


@dataclass
class FakeMark:
    read: bool = False
    bookmarked: bool = False


PAPERS = [
    Paper("Direct Preference Optimization", "We align models with preferences.", authors=["Rafael Rafailov", "Archit Sharma"]),
    Paper("Alignment for Honesty", "Honesty is a virtue; code at github.", authors=["Yuqing Yang"], code_url="https://github.com/x/y"),
    Paper("Scaling Laws", "Loss falls as a power law of compute.", authors=["Jared Kaplan"]),
    Paper("A Survey of Alignment", "We survey RLHF and DPO methods.", authors=["Ana Sharma"]),
]
MARKS = {PAPERS[0].key: FakeMark(read=True), PAPERS[3].key: FakeMark(bookmarked=True)}


def marks(paper: Paper) -> FakeMark:
    return MARKS.get(paper.key, FakeMark())


def titles(query: str) -> list[str]:
    index = SearchIndex(PAPERS)
    return [PAPERS[i].title for i in index.filter(parse_query(query), marks)]


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


def test_typing_more_letters_refines_but_a_new_word_elsewhere_does_not() -> None:
    assert refines(parse_query("alignm"), parse_query("align"))
    assert refines(parse_query("align survey"), parse_query("align"))
    assert not refines(parse_query("alig"), parse_query("align"))
    assert not refines(parse_query("-survey"), parse_query("-surv"))
    assert not refines(parse_query("title:align"), parse_query("align"))
    assert not refines(parse_query("align is:read"), parse_query("align"))


def test_refined_search_within_an_earlier_result_gives_the_same_answer() -> None:
    index = SearchIndex(PAPERS)
    first = index.filter(parse_query("align"), marks)
    narrowed = index.filter(parse_query("alignment"), marks, within=first)
    assert narrowed == index.filter(parse_query("alignment"), marks)


def test_highlight_spans_find_every_needle_case_insensitively() -> None:
    text = "Alignment for honesty: HONESTY matters"
    spans = highlight_spans(text, ["honesty", "align"])
    assert [text[a:b] for a, b in spans] == ["Align", "honesty", "HONESTY"]
    assert highlight_spans(text, []) == []
    assert highlight_spans("a [bold] b", ["[bold]"]) == [(2, 8)]
