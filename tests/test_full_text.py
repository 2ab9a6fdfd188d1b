"""The full-text parser and its LaTeX converter: the two real answers, one written from the
format notes, the fallback page, and hostile input."""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.sources.full_text import FULL_TEXT_MAX, parse_full_text
from reader.sources.latex_text import latex_to_text, tidy_math

FIXTURES = Path(__file__).parent / "fixtures"
VISUALPRM = (FIXTURES / "hf-paper-md-2503.10291.md").read_text(encoding="utf-8")
FIPO = (FIXTURES / "hf-paper-md-2603.19835.md").read_text(encoding="utf-8")
WRITTEN = (FIXTURES / "paper-md-written.md").read_text(encoding="utf-8")
FALLBACK = (FIXTURES / "paper-md-fallback.md").read_text(encoding="utf-8")
FUZZ = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def titles(text: str) -> list[str]:
    return [s.title for s in parse_full_text(text).sections]


def test_the_header_lines_are_parsed() -> None:
    full = parse_full_text(VISUALPRM)
    assert full.title == "VisualPRM: An Effective Process Reward Model for Multimodal Reasoning"
    assert full.source_url == "https://arxiv.org/html/2503.10291"
    assert full.published == "Fri, 14 Mar 2025 00:51:57 GMT"
    assert full.has_text


def test_setext_headings_split_the_real_answer_into_sections() -> None:
    assert titles(VISUALPRM) == [
        "VisualPRM: An Effective Process Reward Model for Multimodal Reasoning",  # the author lines
        "Abstract", "1 Introduction", "2 Related Work",
    ]
    sections = parse_full_text(VISUALPRM).sections
    assert sections[0].text.startswith("Weiyun Wang 1,2")
    assert sections[2].text.startswith("With the remarkable success")
    assert "-----" not in sections[2].text


def test_atx_headings_macros_and_doubled_math_in_the_second_real_answer() -> None:
    full = parse_full_text(FIPO)
    assert full.published is None
    assert [s.title for s in full.sections] == ["Abstract", "1 Introduction", "2 Preliminary"]
    abstract = full.sections[0].text
    assert "\\useunder" not in abstract and "\\ul" not in abstract
    assert "(∼ 47.0%)" in abstract and "(∼ 56.0%)" in abstract
    assert "\\sim" not in abstract and "∼∼" not in abstract


def test_a_text_written_from_the_notes() -> None:
    full = parse_full_text(WRITTEN)
    assert [s.title for s in full.sections] == [
        "Sparse Routers Learn [bold]Fast[/bold]", "Abstract", "1 Introduction", "2 Method",
        "2.1 Routing loss", "3 Results",
    ]
    assert [s.level for s in full.sections] == [0, 2, 2, 2, 3, 1]
    front, abstract, intro, method, _, _ = full.sections
    assert front.text == "Ada Lovelace 1, Alan Turing 2"
    assert "L(θ)" in abstract.text and "\\mathcal" not in abstract.text and "ℒ" not in abstract.text
    assert "∼ 3% of experts" in abstract.text
    assert "Mixture models [1] scale well" in intro.text  # a citation link becomes its text
    assert "The ratio rₜ(θ)=(π_θ)/(π_(old)) is clipped" in intro.text
    assert "Figure 1 → https://arxiv.org/html/2503.14476v2/x1.png" in intro.text
    assert "Figure 1: The router picks two experts per token." in intro.text
    assert "α=0.5 for every layer" in method.text
    assert "snake_case names and https://github.com/a/b_c stay" in method.text
    assert "## not a heading inside code" in method.text


def test_the_fallback_page_is_no_full_text() -> None:
    full = parse_full_text(FALLBACK)
    assert full.source_url == "https://huggingface.co/papers/2503.14378"
    assert full.is_fallback and not full.has_text


def test_a_body_of_no_more_than_an_abstract_is_no_full_text() -> None:
    text = "Title: T\n\nURL Source: https://arxiv.org/html/1\n\nMarkdown Content:\n###### Abstract\n\nShort.\n"
    assert not parse_full_text(text).has_text


def test_find_spans_sections_case_insensitively() -> None:
    full = parse_full_text(WRITTEN)
    found = full.find("needle")
    assert [section for section, _, _ in found] == [4, 5, 5]
    section, start, end = found[2]
    assert full.sections[section].text[start:end] == "NEEDLE"
    assert full.find("   ") == [] and full.find("[bold]") == []  # the title is not a section body
    assert full.find("(") != []  # literal, not a pattern


def test_latex_to_text_on_common_commands() -> None:
    assert latex_to_text(r"\frac{a+b}{2}") == "(a+b)/2"
    assert latex_to_text(r"x^{2} + y_{i}") == "x² + yᵢ"
    assert latex_to_text(r"\sqrt{x}\leq\infty") == "√x≤∞"
    assert latex_to_text(r"\mathbb{E}_{t}\left[\log\pi\right]") == "Eₜ[log π]"
    assert latex_to_text(r"\unknowncommand{z}") == "unknowncommandz"
    assert latex_to_text("{" * 500 + "x" + "}" * 500) == "x"


def test_tidy_math_keeps_one_copy_and_leaves_words_alone() -> None:
    assert tidy_math(r"policy π θ\pi_{\theta} acts") == "policy π_θ acts"
    assert tidy_math("o i,t o_{i,t} next") == "o_(i,t) next"
    assert tidy_math("a file_name here") == "a file_name here"
    assert tidy_math(r"glued\alpha") == "gluedα"


NASTY = ["\x1b[31m", "\x1b]52;c;aGk=\x07", "\x9b2J", "\u202e", "\u200b", "\x00", "[bold]", "[/]",
         "[link=https://evil]", "\\", "\\frac{", "{", "}", "^", "_", "![", "](", "javascript:x", "\n",
         "## ", "-----\n", "=====\n", "```\n", "Title: ", "URL Source: ", "Markdown Content:\n", "∼\\sim"]
nasty = st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=12)), max_size=40).map("".join)


def assert_clean(value: str) -> None:
    assert "\x1b" not in value and "\x9b" not in value and "\x00" not in value
    assert not any(ch in value for ch in "\u202e\u200b\x07")


@FUZZ
@given(nasty)
def test_any_text_parses_into_clean_sections(text: str) -> None:
    full = parse_full_text(text)
    for value in (full.title, full.published or "", full.source_url or ""):
        assert_clean(value)
        assert "\n" not in value
    for section in full.sections:
        assert_clean(section.title)
        assert_clean(section.text)
        assert section.title and "\n" not in section.title
    assert isinstance(full.find(text[:5]), list)


@FUZZ
@given(st.text(max_size=200))
def test_latex_never_fails(text: str) -> None:
    assert isinstance(latex_to_text(text), str)
    assert isinstance(tidy_math(text), str)


def test_a_huge_input_is_capped_and_parsed_fast() -> None:
    huge = "Title: x\n\nMarkdown Content:\n" + ("## s\n\n" + "word \\alpha_{i} " * 200 + "\n\n") * 2000
    started = time.perf_counter()
    full = parse_full_text(huge)
    assert time.perf_counter() - started < 10
    assert sum(len(s.text) for s in full.sections) <= FULL_TEXT_MAX


def test_a_120_kb_paper_parses_well_under_a_second() -> None:
    paper = FIPO + "\n\n" + "\n\n".join(f"## {n} Part\n\n" + FIPO.split("## 1 Introduction")[1] for n in range(40))
    assert len(paper) > 120_000
    started = time.perf_counter()
    full = parse_full_text(paper)
    assert time.perf_counter() - started < 0.5
    assert len(full.sections) > 40
