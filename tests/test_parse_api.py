"""Papers from the JSON API: daily list, search, one paper, one real item, hostile input."""

from __future__ import annotations

import copy
import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from reader.sources.clean import ABSTRACT_MAX, NAME_MAX, TITLE_MAX
from reader.model.errors import ParseError
from reader.sources.parse_api import arxiv_id, iso_date, paper_from_api, papers_from_api
from reader.model.paper import Paper

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def assert_clean(paper: Paper) -> None:
    for name in ("title", "abstract", "organization", "ai_summary", "published", "submitted", "arxiv_id"):
        value = getattr(paper, name)
        if value is None:
            continue
        for ch in value:
            assert ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs"), (name, repr(ch))
    for value in paper.authors + paper.ai_keywords:
        assert all(unicodedata.category(ch) not in ("Cc", "Cf", "Cs") for ch in value)


# -- the real item ---------------------------------------------------------------------


def test_real_item() -> None:
    item = load("api-real-item.json")
    [paper] = papers_from_api([item])
    assert paper.arxiv_id == "2602.23229"
    assert paper.title == "Large Multimodal Models as General In-Context Classifiers"
    assert paper.authors == ["Marco Garosi", "Matteo Farina", "Alessandro Conti", "Massimiliano Mancini", "Elisa Ricci"]
    assert paper.author_count == 5
    assert paper.published == "2026-02-26"
    assert paper.submitted == "2026-03-06"
    assert paper.upvotes == 10
    assert paper.comments == 1
    assert paper.code_url == "https://github.com/marco-garosi/CIRCLE"
    assert paper.project_url == "https://circle-lmm.github.io/"
    assert paper.github_stars == 9
    assert paper.organization == "Multimedia and Human Understanding Group"
    assert paper.ai_summary.startswith("Large Multimodal Models demonstrate")
    assert paper.ai_keywords[:2] == ["Vision-Language Models", "Large Multimodal Models"]
    assert len(paper.ai_keywords) == 9
    assert 'their "in-context" equivalent' in paper.abstract
    assert paper.hf_url == "https://huggingface.co/papers/2602.23229"


def test_real_item_alone_and_flat() -> None:
    item = load("api-real-item.json")
    [alone] = papers_from_api(item)
    [flat] = papers_from_api(item["paper"])
    assert alone == papers_from_api([item])[0]
    assert flat.comments is None  # the count lives on the item, not the paper
    assert (flat.title, flat.upvotes, flat.published) == (alone.title, alone.upvotes, alone.published)
    assert paper_from_api(item["paper"], item) == alone


# -- daily list ------------------------------------------------------------------------


def test_daily_list() -> None:
    papers = papers_from_api(load("api-daily-2025-03-18.json"))
    assert [p.arxiv_id for p in papers] == ["2503.14476", "2503.14378", "2503.14125", "2503.14456", "2503.12937"]
    dapo, videos, frac, rwkv, bare = papers

    assert dapo.authors == ["Qiying Yu", "Zheng Zhang", "Ruofei Zhu"]  # the hidden one left out
    assert dapo.author_count == 3
    assert (dapo.upvotes, dapo.comments, dapo.github_stars) == (131, 3, 1720)
    assert (dapo.published, dapo.submitted) == ("2025-03-18", "2025-03-19")
    assert dapo.code_url == "https://github.com/BytedTsinghua-SIA/DAPO"
    assert dapo.project_url == "https://dapo-sia.github.io/"
    assert dapo.organization is None

    # No githubRepo / projectPage: both found in the abstract, trailing " ." and "." dropped.
    assert videos.code_url == "https://github.com/showlab/Impossible-Videos"
    assert videos.project_url == "https://showlab.github.io/Impossible-Videos/"
    assert videos.github_stars is None and videos.ai_summary is None

    assert frac.title == "Frac-Connections: Fractional Extension of Hyper-Connections & Why <Depth> Isn't Everything"
    assert "depths & widths, where x < y and y > z; the model's \"seesaw\" effect isn't fatal." in frac.abstract
    assert "\nWe propose Frac-Connections" in frac.abstract
    assert "\n\nExperiments" in frac.abstract
    assert "<b>better</b>" in frac.abstract
    assert frac.code_url is None and frac.project_url is None

    assert rwkv.organization == "RWKV Project"
    assert rwkv.code_url == "https://github.com/RWKV/RWKV-LM"
    assert rwkv.project_url is None
    assert rwkv.title == 'RWKV-7 "Goose" with Expressive Dynamic State Evolution'

    assert bare.authors == [] and bare.author_count == 0
    assert bare.upvotes == 0 and bare.comments == 0
    for paper in papers:
        assert_clean(paper)


def test_search_list() -> None:
    honesty, unlock, nudging = papers_from_api(load("api-search-alignment.json"))
    assert honesty.title == "Alignment for Honesty"
    assert honesty.code_url == "https://github.com/GAIR-NLP/alignment-for-honesty"
    assert unlock.author_count == 8 and unlock.published == "2023-12-04" and unlock.upvotes == 4
    assert nudging.code_url is None
    assert nudging.project_url == "https://fywalter.github.io/nudging/"


def test_single_paper_object() -> None:
    [paper] = papers_from_api(load("api-paper-2503.14476.json"))
    assert paper.arxiv_id == "2503.14476"
    assert paper.authors == ["Qiying Yu", "Zheng Zhang", "Ruofei Zhu"]
    assert paper.ai_keywords == ["reinforcement learning", "DAPO", "LLM reasoning"]
    assert paper.comments is None


def test_empty_list_is_a_valid_answer() -> None:
    assert papers_from_api([]) == []


# -- missing, null and wrongly typed fields ----------------------------------------------


def test_minimal_item() -> None:
    [paper] = papers_from_api([{"paper": {"title": "Only a title"}}])
    assert paper == Paper(title="Only a title")


def test_title_and_summary_from_the_item() -> None:
    [paper] = papers_from_api([{"paper": {"id": "2501.00001"}, "title": "From item", "summary": "Item abstract"}])
    assert (paper.title, paper.abstract, paper.arxiv_id) == ("From item", "Item abstract", "2501.00001")


def test_null_fields_everywhere() -> None:
    item = load("api-real-item.json")
    for key in list(item["paper"]):
        if key not in ("title",):
            item["paper"][key] = None
    for key in list(item):
        if key not in ("paper", "title"):
            item[key] = None
    [paper] = papers_from_api([item])
    assert paper.title == "Large Multimodal Models as General In-Context Classifiers"
    assert paper.arxiv_id is None and paper.authors == [] and paper.author_count is None
    assert paper.published is None and paper.upvotes is None and paper.comments is None
    assert paper.code_url is None and paper.project_url is None and paper.organization is None


def test_wrong_types_are_ignored() -> None:
    paper_obj = {
        "id": 2602.23229,
        "title": "Typed wrong",
        "summary": ["not", "text"],
        "authors": [{"name": 7}, "Plain String", None, {"name": None}, {"hidden": "yes", "name": "Kept"}, ["x"]],
        "publishedAt": "yesterday",
        "submittedOnDailyAt": 20260306,
        "upvotes": "10",
        "githubStars": True,
        "githubRepo": {"url": "https://github.com/x/y"},
        "projectPage": 5,
        "organization": ["MHUG"],
        "ai_summary": {"text": "x"},
        "ai_keywords": "CIRCLE",
    }
    [paper] = papers_from_api({"paper": paper_obj, "numComments": -1})
    assert paper.title == "Typed wrong"
    assert paper.arxiv_id is None
    assert paper.abstract == ""
    assert paper.authors == ["7", "Plain String", "Kept"]
    assert paper.published is None and paper.submitted is None
    assert paper.upvotes is None and paper.github_stars is None and paper.comments is None
    assert paper.code_url is None and paper.project_url is None
    assert paper.organization is None and paper.ai_summary is None and paper.ai_keywords == []


def test_bad_items_skipped_good_ones_kept() -> None:
    good = load("api-real-item.json")
    data = [None, 3, "x", [], {"paper": "nope"}, {"paper": {"summary": "no title"}}, good, {"title": "   "}]
    papers = papers_from_api(data)
    assert [p.arxiv_id for p in papers] == ["2602.23229"]


def test_invalid_dates() -> None:
    assert iso_date("2025-02-30T00:00:00Z") is None
    assert iso_date("2025-03-18T23:59:59.999Z") == "2025-03-18"
    assert iso_date("2025-03-18") == "2025-03-18"
    assert iso_date("18/03/2025") is None


@pytest.mark.parametrize("good", ["2602.23229", "2401.0001", "2401.00012v3", "hep-th/9901001", "math.AG/0601001"])
def test_arxiv_ids(good: str) -> None:
    assert arxiv_id(good) == good


@pytest.mark.parametrize("bad", ["", "../../etc", "2602.23229?x=1", "javascript:1", "2602 23229", "a" * 100, None, 2602.2])
def test_bad_arxiv_ids(bad: object) -> None:
    assert arxiv_id(bad) is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (None, "not null"),
        ("text", "not a string"),
        (42, "not a number"),
        (True, "not a boolean"),
        ({}, "object without a title"),
        ({"id": "2501.00001"}, "object without a title"),
        ({"error": "Invalid date"}, "error: Invalid date"),
        ([1, 2, 3], "none of the 3 entries"),
        ([{"paper": {}}], "has no title"),
        ({"paper": []}, '"paper" should be a JSON object'),
        ({"title": ""}, "has no title"),
    ],
)
def test_wrong_shapes(data: object, message: str) -> None:
    with pytest.raises(ParseError, match=message) as raised:
        papers_from_api(data)
    assert "\n" not in str(raised.value)


def test_paper_from_api_wants_an_object() -> None:
    with pytest.raises(ParseError):
        paper_from_api(["not", "an", "object"])


def test_props_object_is_accepted() -> None:
    item = load("api-real-item.json")
    assert len(papers_from_api({"dailyPapers": [item, item]})) == 1  # deduped
    assert papers_from_api({"searchResults": [], "query": {"q": "x"}}) == []


# -- hostile text ----------------------------------------------------------------------

HOSTILE = "[bold]x[/] [link=https://evil]y[/link] <script>alert(1)</script> \x1b[31mred\x1b[0m \x1b]52;c;aGk=\x07\u202eevil\x00"


def test_hostile_text_is_defused() -> None:
    item = copy.deepcopy(load("api-real-item.json"))
    p = item["paper"]
    p["title"] = HOSTILE
    p["summary"] = HOSTILE + "\n" + "more " * 10_000
    p["authors"] = [{"name": HOSTILE, "hidden": False}, {"name": "\x1b[2J" + "N" * 5000, "hidden": False}]
    p["organization"] = {"fullname": HOSTILE}
    p["ai_keywords"] = [HOSTILE]
    p["githubRepo"] = "javascript:alert(document.cookie)"
    p["projectPage"] = "file:///etc/passwd"
    [paper] = papers_from_api([item])
    expected = "[bold]x[/] [link=https://evil]y[/link] <script>alert(1)</script> red evil"
    assert paper.title == expected
    assert paper.authors[0] == expected and paper.organization == expected and paper.ai_keywords == [expected]
    assert paper.abstract.startswith(expected + "\nmore more")
    assert len(paper.abstract) <= ABSTRACT_MAX
    assert len(paper.authors[1]) <= NAME_MAX
    assert paper.code_url is None and paper.project_url is None
    assert_clean(paper)


def test_megabyte_title() -> None:
    [paper] = papers_from_api([{"paper": {"title": "T" * 1_000_000, "summary": "S" * 1_000_000}}])
    assert len(paper.title) == TITLE_MAX
    assert len(paper.abstract) == ABSTRACT_MAX


def test_unsafe_links_in_abstract_never_picked() -> None:
    abstract = "Code javascript:alert(1) and file:///home/x and https://github.com@evil.example/x"
    [paper] = papers_from_api([{"paper": {"title": "t", "summary": abstract}}])
    assert paper.code_url is None and paper.project_url is None


def test_an_api_array_with_a_paper_twice_gives_it_once() -> None:
    item = load("api-real-item.json")
    assert len(papers_from_api([item, item])) == 1
