"""Property tests: whatever a parser is fed, it returns clean Papers or raises ParseError."""

from __future__ import annotations

import html
import json
import unicodedata
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.sources.clean import clean_text, safe_url
from reader.sources.detect import parse_document
from reader.model.errors import ParseError
from reader.sources.links import find_urls, pick_links
from reader.model.paper import Paper
from reader.sources.parse_api import papers_from_api
from reader.sources.parse_html import HtmlPage, parse_html
from reader.sources.parse_text import parse_text_dump

FIXTURES = Path(__file__).parent / "fixtures"
FUZZ = settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
SINGLE_LINE_FIELDS = ("title", "arxiv_id", "organization", "published", "submitted")
NASTY = [
    "\x1b[31m", "\x1b]52;c;aGk=\x07", "\x1b]8;;http://e\x1b\\", "\x1bP", "\x9b2J", "\u202e", "\u2066",
    "\u200b", "\ufeff", "\x00", "\r\n", "\t", "[bold]", "[/]", "[link=https://evil]", "<script>",
    "&amp;", "&quot;", "javascript:alert(1)", "file:///etc/passwd", "https://github.com/a/b.",
    "https://x.github.io/p)", "  • 3 authors", "·", "Dec 3, 2023 4", "Jan 1", "\ud800", "é", "🤗",
]

nasty_text = st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=20)), max_size=12).map("".join)
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), nasty_text)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(["paper", "title", "summary", "id", "authors", "name", "hidden",
                                         "upvotes", "dailyPapers", "searchResults", "query", "q"]) | nasty_text,
                        children, max_size=5),
    ),
    max_leaves=20,
)
PAPER_KEYS = {
    "id": st.one_of(st.sampled_from(["2602.23229", "hep-th/9901001", "../x"]), json_scalars),
    "title": nasty_text,
    "summary": nasty_text,
    "authors": st.one_of(
        st.lists(st.one_of(st.fixed_dictionaries({}, optional={"name": json_scalars, "hidden": json_scalars}),
                           json_scalars), max_size=4),
        json_scalars,
    ),
    "publishedAt": st.one_of(st.sampled_from(["2026-02-26T17:08:18.000Z", "2025-02-30", "x"]), json_scalars),
    "submittedOnDailyAt": json_scalars,
    "upvotes": json_scalars,
    "githubRepo": st.one_of(st.sampled_from(["https://github.com/a/b", "javascript:x", "file:///x"]), json_scalars),
    "projectPage": st.one_of(st.sampled_from(["https://a.github.io/", "data:text/html,x"]), json_scalars),
    "githubStars": json_scalars,
    "organization": st.one_of(st.fixed_dictionaries({}, optional={"name": json_scalars, "fullname": json_scalars}),
                              json_scalars),
    "ai_summary": json_scalars,
    "ai_keywords": st.one_of(st.lists(json_scalars, max_size=3), json_scalars),
}
# Half the papers surely have a usable title, so the field handling is exercised, not
# only the "no title" rejection.
titled = st.builds(lambda word, rest: word + rest, st.from_regex(r"[A-Za-z][A-Za-z ]{0,9}", fullmatch=True), nasty_text)
papers = st.one_of(
    st.fixed_dictionaries({}, optional=PAPER_KEYS),
    st.fixed_dictionaries({"title": titled}, optional={k: v for k, v in PAPER_KEYS.items() if k != "title"}),
)
items = st.fixed_dictionaries(
    {},
    optional={"paper": st.one_of(papers, papers, json_scalars), "title": nasty_text, "summary": nasty_text,
              "numComments": json_scalars, "organization": json_scalars, "publishedAt": json_scalars},
)


def assert_clean_papers(result: Any) -> None:
    """A list of Papers whose every string is free of escapes, controls and bidi tricks."""
    assert isinstance(result, list)
    for paper in result:
        assert isinstance(paper, Paper)
        assert paper.title and paper.title == paper.title.strip()
        for name in SINGLE_LINE_FIELDS:
            value = getattr(paper, name)
            assert value is None or (isinstance(value, str) and value == clean_text(value)), (name, value)
        for name in ("abstract", "ai_summary"):
            value = getattr(paper, name)
            assert value is None or value == clean_text(value, multiline=True), (name, value)
        for value in paper.authors + paper.ai_keywords:
            assert value and value == clean_text(value)
        for url in (paper.code_url, paper.project_url):
            assert url is None or safe_url(url) == url
        for number in (paper.author_count, paper.upvotes, paper.comments, paper.github_stars):
            assert number is None or (isinstance(number, int) and number >= 0)
        text = " ".join(
            [paper.title, paper.abstract, *paper.authors, *paper.ai_keywords, paper.organization or "", paper.ai_summary or ""]
        )
        assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") and ch != "\n" for ch in text)
        json.dumps(paper.to_record(), ensure_ascii=False).encode("utf-8")  # storable, no lone surrogates


def run(parser: Any, *args: Any) -> Any:
    try:
        result = parser(*args)
    except ParseError as error:
        assert "\n" not in str(error)
        return None
    if isinstance(result, HtmlPage):
        assert_clean_papers(result.papers)
        for value in (result.period_type, result.date_string, result.prev_date, result.query):
            assert value is None or value == clean_text(value)
    else:
        assert_clean_papers(result)
    return result


@FUZZ
@given(st.text(max_size=300))
def test_any_text_everywhere(text: str) -> None:
    run(parse_text_dump, text)
    run(parse_html, text)
    run(parse_document, text)


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=40), st.just("\n"), st.just("\n\n")), max_size=40))
def test_dump_shaped_text(parts: list[str]) -> None:
    text = "new\n\nDaily Papers\n\n" + "".join(parts)
    run(parse_text_dump, text)
    run(parse_document, text)


@FUZZ
@given(json_values)
def test_any_json_shape(value: Any) -> None:
    run(papers_from_api, value)
    run(parse_document, json.dumps(value))


@FUZZ
@given(st.lists(st.one_of(items, papers, json_scalars), max_size=5))
def test_items_with_missing_and_null_fields(entries: list[Any]) -> None:
    result = run(papers_from_api, entries)
    if result is not None and entries:
        assert len(result) <= len(entries)
    run(parse_document, json.dumps(entries))


@FUZZ
@given(st.lists(items, max_size=4), st.sampled_from(["DailyPapers", "PaperContent", "Other"]), json_values)
def test_html_islands(entries: list[Any], target: str, extra: Any) -> None:
    props: Any = {"dailyPapers": entries, "query": extra} if target != "PaperContent" else {"paper": extra}
    page = (
        f'<html><body><div class="SVELTE_HYDRATER contents" data-target="{target}" '
        f'data-props="{html.escape(json.dumps(props), quote=True)}"></div></body></html>'
    )
    run(parse_html, page)
    run(parse_document, page)


REAL_PAGE = (FIXTURES / "html-daily-2025-03-18.html").read_text(encoding="utf-8")


@FUZZ
@given(st.integers(0, len(REAL_PAGE)), st.integers(0, 2000), nasty_text)
def test_broken_html(start: int, length: int, junk: str) -> None:
    """A real page cut, spliced with junk: still Papers or a ParseError."""
    broken = REAL_PAGE[:start] + junk + REAL_PAGE[start + length :]
    run(parse_html, broken)
    run(parse_document, broken)


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(["<article>", "</article>", "<h3>", "</h3>", '<a href="/papers/2501.00001">',
                                          '<a href="/papers/', "</a>", '<div class="leading-none">', "</div>",
                                          '<div data-target="DailyPapers" data-props="', '">', "&quot;", "<!--"]),
                          nasty_text), max_size=20))
def test_tag_soup(parts: list[str]) -> None:
    text = "<html>" + "".join(parts)
    run(parse_html, text)
    run(parse_document, text)


@FUZZ
@given(nasty_text, st.one_of(st.none(), nasty_text), st.one_of(st.none(), nasty_text))
def test_links_are_always_safe(abstract: str, repo: str | None, page: str | None) -> None:
    for url in find_urls(abstract):
        assert safe_url(url) == url
    code, project = pick_links(abstract, repo, page)
    for url in (code, project):
        assert url is None or (safe_url(url) == url and url.lower().startswith(("http://", "https://")))


@FUZZ
@given(st.one_of(nasty_text, st.text(), json_scalars), st.booleans(), st.integers(0, 600))
def test_clean_text_is_clean_and_idempotent(value: Any, multiline: bool, limit: int) -> None:
    out = clean_text(value, multiline=multiline, limit=limit)
    assert len(out) <= limit
    assert clean_text(out, multiline=multiline, limit=limit) == out
    assert "\x1b" not in out
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") and not (multiline and ch == "\n") for ch in out)
