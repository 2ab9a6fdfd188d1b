"""Papers from Hugging Face HTML pages: the data-props island first, the cards last."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest

from reader.model.errors import ParseError
from reader.sources.parse_html import HtmlPage, parse_html

FIXTURES = Path(__file__).parent / "fixtures"


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def island(target: str, props: Any, inner: str = "") -> str:
    """A hydration div exactly as the server writes it."""
    return (
        f'<div class="SVELTE_HYDRATER contents" data-target="{target}" '
        f'data-props="{html.escape(json.dumps(props), quote=True)}">{inner}</div>'
    )


def page(*parts: str) -> str:
    return "<!doctype html><html><head><title>Daily Papers</title></head><body>" + "".join(parts) + "</body></html>"


def test_daily_listing_page() -> None:
    result = parse_html(read("html-daily-2025-03-18.html"))
    assert isinstance(result, HtmlPage)
    assert [p.arxiv_id for p in result.papers] == ["2503.14476", "2503.14378", "2503.14125", "2503.14456", "2503.12937"]
    assert (result.period_type, result.date_string, result.prev_date, result.query) == (
        "day",
        "2025-03-18",
        "2025-03-17",
        None,
    )
    dapo, videos, frac, rwkv, _ = result.papers
    assert dapo.authors == ["Qiying Yu", "Zheng Zhang", "Ruofei Zhu"]
    assert dapo.upvotes == 131 and dapo.comments == 3
    assert videos.code_url == "https://github.com/showlab/Impossible-Videos"
    # Entities decoded once: &amp; &lt; &#x27; come back as the characters, not as entities.
    assert frac.title == "Frac-Connections: Fractional Extension of Hyper-Connections & Why <Depth> Isn't Everything"
    assert "x < y and y > z; the model's \"seesaw\" effect" in frac.abstract
    assert "&amp;" not in frac.abstract and "&quot;" not in frac.abstract
    assert rwkv.organization == "RWKV Project"
    assert all(p.abstract for p in result.papers)


def test_listing_page_matches_the_api() -> None:
    from reader.sources.parse_api import papers_from_api

    api = papers_from_api(json.loads(read("api-daily-2025-03-18.json")))
    assert parse_html(read("html-daily-2025-03-18.html")).papers == api


def test_search_page() -> None:
    result = parse_html(read("html-search-alignment.html"))
    assert result.query == "alignment"
    assert [p.title for p in result.papers] == [
        "Alignment for Honesty",
        "The Unlocking Spell on Base LLMs: Rethinking Alignment via In-Context Learning",
        "Nudging: Inference-time Alignment via Model Collaboration",
    ]
    assert result.papers[0].code_url == "https://github.com/GAIR-NLP/alignment-for-honesty"
    assert result.papers[2].project_url == "https://fywalter.github.io/nudging/"


def test_single_paper_page() -> None:
    result = parse_html(read("html-paper-2503.14476.html"))
    [paper] = result.papers
    assert paper.arxiv_id == "2503.14476"
    assert paper.title == "DAPO: An Open-Source LLM Reinforcement Learning System at Scale"
    assert paper.comments == 2  # from the page's comment list
    assert paper.code_url == "https://github.com/BytedTsinghua-SIA/DAPO"
    assert result.period_type is None and result.query is None


def test_cards_only_page() -> None:
    result = parse_html(read("html-cards-only.html"))
    assert [(p.arxiv_id, p.upvotes) for p in result.papers] == [
        ("2503.14476", 131),
        ("2503.14378", 54),
        ("2503.14125", 17),
        ("2503.14456", 92),
        ("2503.12937", 0),
    ]  # the repeated card is dropped
    assert result.papers[2].title.startswith("Frac-Connections: Fractional Extension of Hyper-Connections & Why <Depth>")
    assert all(p.abstract == "" and p.authors == [] for p in result.papers)


def test_island_chosen_by_target_not_position() -> None:
    item = {"paper": {"id": "2501.00001", "title": "The real one"}}
    decoy = {"paper": {"id": "2501.00002", "title": "Decoy"}}
    text = page(
        island("DailyPapersBanner", {"dailyPapers": [decoy]}),
        island("MainHeader", {"dailyPapers": [decoy], "searchResults": [decoy]}),
        island("DailyPapers", {"dailyPapers": [item], "periodType": "week", "dateString": "2025-W12"}),
        island("Footer", {}),
    )
    result = parse_html(text)
    assert [p.title for p in result.papers] == ["The real one"]
    assert (result.period_type, result.date_string) == ("week", "2025-W12")


def test_search_results_win_on_a_search_page() -> None:
    daily = {"paper": {"id": "2501.00001", "title": "Daily"}}
    found = {"paper": {"id": "2501.00002", "title": "Found"}}
    text = page(island("DailyPapers", {"dailyPapers": [daily], "searchResults": [found], "query": {"q": "found"}}))
    assert [p.title for p in parse_html(text).papers] == ["Found"]
    text = page(island("DailyPapers", {"dailyPapers": [daily], "query": {}}))
    assert [p.title for p in parse_html(text).papers] == ["Daily"]


def test_empty_listing_is_valid() -> None:
    result = parse_html(page(island("DailyPapers", {"dailyPapers": [], "periodType": "day", "dateString": "2025-03-16"})))
    assert result.papers == [] and result.date_string == "2025-03-16"


def test_bad_items_in_island_skipped() -> None:
    good = {"paper": {"id": "2501.00001", "title": "Good"}}
    text = page(island("DailyPapers", {"dailyPapers": [None, {"paper": 5}, good, {"paper": {"title": ""}}]}))
    assert [p.title for p in parse_html(text).papers] == ["Good"]


def test_broken_island_falls_back_to_cards() -> None:
    text = page(
        '<div class="SVELTE_HYDRATER contents" data-target="DailyPapers" data-props="{broken">',
        '<article><h3><a href="/papers/2501.00003">Card title</a></h3><div class="leading-none">7</div></article>',
        "</div>",
    )
    [paper] = parse_html(text).papers
    assert (paper.arxiv_id, paper.title, paper.upvotes) == ("2501.00003", "Card title", 7)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no Hugging Face papers data"),
        ("<html><body><p>Something went wrong</p></body></html>", "no Hugging Face papers data"),
        (page(island("MainHeader", {"user": None})), "no Hugging Face papers data"),
        (page('<div class="SVELTE_HYDRATER contents" data-target="DailyPapers" data-props="{nope"></div>'), "broken JSON"),
        (page('<div class="SVELTE_HYDRATER contents" data-target="DailyPapers"></div>'), "no data-props"),
        (page(island("DailyPapers", [1, 2])), "not a JSON object"),
        (page(island("DailyPapers", {"periodType": "day"})), "neither dailyPapers nor searchResults"),
        (page(island("DailyPapers", {"dailyPapers": [1, "x"]})), "none of the 2 entries"),
        (page(island("PaperContent", {"paper": None})), "should be a JSON object"),
        (page('<article><h3><a href="/models/x">Not a paper</a></h3></article>'), "no Hugging Face papers data"),
    ],
)
def test_not_a_papers_page(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message) as raised:
        parse_html(text)
    assert "\n" not in str(raised.value)


def test_non_text_input() -> None:
    with pytest.raises(ParseError):
        parse_html(b"<html></html>")  # type: ignore[arg-type]


def test_hostile_props() -> None:
    evil = "\x1b]52;c;aGk=\x07[bold]Evil[/] <script>x</script>\u202e\x00"
    item = {
        "paper": {
            "id": "2501.00009",
            "title": evil,
            "summary": evil + " code javascript:alert(1)",
            "authors": [{"name": evil, "hidden": False}],
            "githubRepo": "javascript:alert(1)",
            "projectPage": "file:///etc/passwd",
        }
    }
    [paper] = parse_html(page(island("DailyPapers", {"dailyPapers": [item], "periodType": evil, "query": {"q": evil}}))).papers
    assert paper.title == "[bold]Evil[/] <script>x</script>"
    assert paper.authors == ["[bold]Evil[/] <script>x</script>"]
    assert paper.code_url is None and paper.project_url is None


def test_hostile_card() -> None:
    text = page('<article><h3><a href="/papers/2501.00004">\x1b[31m[bold]Red[/]\u202e</a></h3></article>')
    [paper] = parse_html(text).papers
    assert paper.title == "[bold]Red[/]"
    assert paper.upvotes is None
