"""Papers from text dumps: the real alignment search dump and every documented variant."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reader.sources.clean import TITLE_MAX
from reader.model.errors import ParseError
from reader.sources.parse_text import parse_text_dump

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2025, 3, 20)
SAMPLE = (FIXTURES / "text-search-alignment.txt").read_text(encoding="utf-8")
VARIANTS = (FIXTURES / "text-variants.txt").read_text(encoding="utf-8")

# Every abstract in the sample that holds a link: (title, code_url, project_url).
SAMPLE_LINKS = {
    "Implicit Temporal Modeling with Learnable Alignment for Video Recognition": ("https://github.com/Francis-Rings/ILA", None),
    "Alleviating the Fear of Losing Alignment in LLM Fine-tuning": ("https://github.com/kangyangWHU/LLMAlignment", None),
    "I-SHEEP: Self-Alignment of LLM from Scratch through an Iterative Self-Enhancement Paradigm": (
        "https://anonymous.4open.science/r/I-SHEEP",
        None,
    ),
    "Text-Video Retrieval with Global-Local Semantic Consistent Learning": ("https://github.com/zchoi/GLSCL", None),
    "Aligning Large Language Models with Human: A Survey": ("https://github.com/GaryYufei/AlignLLMHumanSurvey", None),
    "Aligning Multimodal LLM with Human Preference: A Survey": (
        "https://github.com/BradyFU/Awesome-Multimodal-Large-Language-Models/tree/Alignment",
        None,
    ),
    "Nudging: Inference-time Alignment via Model Collaboration": (None, "https://fywalter.github.io/nudging/"),
    "Pixel Sentence Representation Learning": ("https://github.com/gowitheflow-1998/Pixel-Linguist", None),
    "Reward-Augmented Data Enhances Direct Preference Alignment of LLMs": (
        "https://github.com/shenao-zhang/reward-augmented-preference",
        None,
    ),
    "TRACEALIGN -- Tracing the Drift: Attributing Alignment Failures to Training-Time Belief Sources in LLMs": (
        "https://anonymous.4open.science/r/tracealign-2DA7",
        None,
    ),
    "Advancing Textual Prompt Learning with Anchored Attributes": ("https://github.com/zhengli97/ATPrompt", None),
    "Alignment for Honesty": ("https://github.com/GAIR-NLP/alignment-for-honesty", None),
}


@pytest.fixture(scope="module")
def sample() -> dict:
    papers = parse_text_dump(SAMPLE, today=TODAY)
    return {p.title: p for p in papers}


def test_sample_has_31_papers() -> None:
    papers = parse_text_dump(SAMPLE, today=TODAY)
    assert len(papers) == 31
    assert len({p.title for p in papers}) == 31
    assert papers[0].title == "Implicit Temporal Modeling with Learnable Alignment for Video Recognition"
    assert papers[-1].title == "Alignment for Honesty"
    assert all(p.arxiv_id is None and p.abstract and p.author_count for p in papers)
    assert all(p.published for p in papers)
    assert all(p.organization is None for p in papers)
    assert not any(p.title in ("new", "Subscribe", "Daily Papers", "Jan 1") for p in papers)


def test_sample_details(sample: dict) -> None:
    unlock = sample["The Unlocking Spell on Base LLMs: Rethinking Alignment via In-Context Learning"]
    assert (unlock.author_count, unlock.published, unlock.upvotes) == (8, "2023-12-03", 4)
    assert unlock.abstract.startswith("The alignment tuning process of large language models (LLMs)")

    honesty = sample["Alignment for Honesty"]
    assert (honesty.author_count, honesty.published, honesty.upvotes) == (5, "2023-12-12", None)
    assert honesty.code_url == "https://github.com/GAIR-NLP/alignment-for-honesty"

    nudging = sample["Nudging: Inference-time Alignment via Model Collaboration"]
    assert nudging.project_url == "https://fywalter.github.io/nudging/" and nudging.code_url is None
    assert (nudging.author_count, nudging.published) == (3, "2024-10-11")

    survey = sample["Aligning Multimodal LLM with Human Preference: A Survey"]
    assert survey.code_url == "https://github.com/BradyFU/Awesome-Multimodal-Large-Language-Models/tree/Alignment"
    assert (survey.author_count, survey.published, survey.upvotes) == (17, "2025-03-18", 3)

    safety = sample["Alignment and Safety in Large Language Models: Safety Mechanisms, Training Paradigms, and Emerging Challenges"]
    assert (safety.author_count, safety.published, safety.upvotes) == (50, "2025-07-25", None)

    sheep = sample["I-SHEEP: Self-Alignment of LLM from Scratch through an Iterative Self-Enhancement Paradigm"]
    assert (sheep.author_count, sheep.published, sheep.upvotes) == (12, "2024-08-15", 2)

    trace = sample["TRACEALIGN -- Tracing the Drift: Attributing Alignment Failures to Training-Time Belief Sources in LLMs"]
    assert (trace.author_count, trace.published, trace.upvotes) == (3, "2025-08-04", 2)

    compress = sample["Compress & Align: Curating Image-Text Data with Human Knowledge"]
    assert (compress.author_count, compress.published) == (6, "2023-12-11")


def test_sample_links(sample: dict) -> None:
    for title, paper in sample.items():
        assert (paper.code_url, paper.project_url) == SAMPLE_LINKS.get(title, (None, None)), title
    assert len(SAMPLE_LINKS) == 12
    assert set(SAMPLE_LINKS) <= set(sample)


def test_sample_upvotes(sample: dict) -> None:
    with_votes = {title: p.upvotes for title, p in sample.items() if p.upvotes is not None}
    assert sorted(with_votes.values()) == [2, 2, 3, 4]


def test_variants() -> None:
    papers = parse_text_dump(VARIANTS, today=TODAY)
    assert [p.title for p in papers] == [
        "Sparse Autoencoders Find Interpretable Features in Video Models",
        "Long-Context Retrieval Without Retrieval Heads",
        "A Benchmark for Tool-Using Agents Under Budget Constraints",
        "Diffusion Language Models Are Few-Shot Planners",
        "Reasoning Traces as Training Signal: A Survey",
    ]
    sae, longctx, budget, diffusion, survey = papers
    # authors, full date and upvotes
    assert (sae.author_count, sae.organization, sae.published, sae.upvotes) == (7, None, "2025-03-17", 12)
    assert sae.code_url == "https://github.com/example-lab/video-sae" and sae.project_url is None
    assert '& find features for motion, "camera pans"' in sae.abstract
    # organisation line, date without a year, upvotes
    assert (longctx.author_count, longctx.organization, longctx.published, longctx.upvotes) == (
        None,
        "NVIDIA",
        "2025-03-14",
        31,
    )
    assert longctx.project_url == "https://longctx.github.io/no-heads/" and longctx.code_url is None
    # no meta block at all; links inside parentheses
    assert (budget.author_count, budget.organization, budget.published, budget.upvotes) == (None, None, None, None)
    assert budget.code_url == "https://gitlab.com/budget/bench"
    assert budget.project_url == "https://budgetbench.org/leaderboard"
    # one author, no year, no upvotes
    assert (diffusion.author_count, diffusion.published, diffusion.upvotes) == (1, "2025-02-02", None)
    assert "< 1% of the compute." in diffusion.abstract
    # organisation line, full date, no upvotes, no final newline
    assert (survey.organization, survey.published, survey.upvotes) == ("Allen Institute for AI", "2024-12-30", None)


def test_crlf_and_trailing_whitespace() -> None:
    messy = "\r\n".join(line + "  \t" for line in VARIANTS.split("\n")) + "\r\n\r\n"
    assert parse_text_dump(messy, today=TODAY) == parse_text_dump(VARIANTS, today=TODAY)
    old_mac = VARIANTS.replace("\n", "\r")
    assert parse_text_dump(old_mac, today=TODAY) == parse_text_dump(VARIANTS, today=TODAY)
    bom = "\ufeff" + SAMPLE + "\n\n"
    assert len(parse_text_dump(bom, today=TODAY)) == 31


def test_sparse_header_and_title_stuck_to_abstract() -> None:
    text = (FIXTURES / "text-sparse-header.txt").read_text(encoding="utf-8")
    scaling, token, speculative = parse_text_dump(text, today=TODAY)
    assert scaling.title == "Scaling Laws for Mixture-of-Depths Transformers"
    assert scaling.abstract.endswith("at 0.6x the FLOPs.")
    assert scaling.published is None
    assert token.title == "Token Dropping Is Not Free: Revisiting Early Exit"
    assert (token.author_count, token.published, token.upvotes) == (4, "2025-03-16", 5)
    assert token.code_url == "https://github.com/early-exit/harness"
    assert (speculative.organization, speculative.published) == ("Google DeepMind", "2025-03-15")


def test_no_header_at_all() -> None:
    body = SAMPLE.split("Jan 1\n", 1)[1]
    assert len(parse_text_dump(body, today=TODAY)) == 31


@pytest.mark.parametrize("missing", ["new", "Get trending papers in your email inbox!", "Subscribe", "Jan 1"])
def test_header_lines_missing(missing: str) -> None:
    text = SAMPLE.replace(missing + "\n", "", 1)
    papers = parse_text_dump(text, today=TODAY)
    assert len(papers) == 31
    assert papers[0].title.startswith("Implicit Temporal Modeling")


def test_year_of_dates_without_one() -> None:
    entry = "Title\n\nAbstract text.\n\n  • 2 authors\n·\n{date}\n"
    assert parse_text_dump(entry.format(date="Mar 1"), today=dt.date(2025, 3, 20))[0].published == "2025-03-01"
    # A date after today cannot be this year's: the dump is from last year.
    assert parse_text_dump(entry.format(date="Dec 30"), today=dt.date(2025, 1, 2))[0].published == "2024-12-30"
    assert parse_text_dump(entry.format(date="Dec 30 7"), today=dt.date(2025, 12, 31))[0].upvotes == 7
    assert parse_text_dump(entry.format(date="Feb 30, 2024"), today=TODAY)[0].published is None
    assert parse_text_dump(entry.format(date="September 3, 2024"), today=TODAY)[0].published == "2024-09-03"


def test_default_today_is_real_today() -> None:
    entry = "Title\n\nAbstract text.\n\n  • 2 authors\n·\nJan 1\n"
    [paper] = parse_text_dump(entry)
    assert paper.published == f"{dt.date.today().year}-01-01"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "just some words",
        "A paragraph.\n\nAnother paragraph.\n\nA third one.",
        "new\n\nSubscribe\n\nDaily Papers\n\nJan 1\n",
        "  • 3 authors\n·\nDec 3, 2023",
    ],
)
def test_no_papers(text: str) -> None:
    with pytest.raises(ParseError, match="no papers found") as raised:
        parse_text_dump(text, today=TODAY)
    assert "\n" not in str(raised.value)


def test_non_text_input() -> None:
    with pytest.raises(ParseError):
        parse_text_dump(None)  # type: ignore[arg-type]


def test_hostile_dump() -> None:
    evil_title = "\x1b[31m[bold]Evil[/]\x1b[0m <script>alert(1)</script>\u202e\x00 " + "T" * 1_000_000
    evil_abstract = "\x1b]52;c;aGk=\x07[link=https://evil]x[/link] javascript:alert(1) file:///etc/passwd \u2066spoof\u2069"
    text = f"Daily Papers\n\n{evil_title}\n\n{evil_abstract}\n\n\x1b[2J  • 3 authors\n·\nDec 3, 2023 4\n"
    [paper] = parse_text_dump(text, today=TODAY)
    assert paper.title.startswith("[bold]Evil[/] <script>alert(1)</script> TTT")
    assert len(paper.title) == TITLE_MAX
    assert paper.abstract == "[link=https://evil]x[/link] javascript:alert(1) file:///etc/passwd spoof"
    assert paper.code_url is None and paper.project_url is None
    assert (paper.author_count, paper.published, paper.upvotes) == (3, "2023-12-03", 4)


def test_meta_block_copied_onto_one_line() -> None:
    text = (
        "Daily Papers\n\nTitle One\n\nAbstract one.\n\n• 6 authors · Apr 20, 2023 5\n\n"
        "Title Two\n\nAbstract two.\n\nNVIDIA · Mar 14\n"
    )
    one, two = parse_text_dump(text, today=TODAY)
    assert (one.title, one.author_count, one.published, one.upvotes) == ("Title One", 6, "2023-04-20", 5)
    assert (two.title, two.organization, two.published, two.upvotes) == ("Title Two", "NVIDIA", "2025-03-14", None)


def test_header_repeated_mid_dump() -> None:
    twice = SAMPLE + "\n\n" + SAMPLE
    assert len(parse_text_dump(twice, today=TODAY)) == 62
