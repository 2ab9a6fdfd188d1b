"""What each letter after `Y` copies, the BibTeX author fix, and the links view's list."""

from __future__ import annotations

import re

import bibtexparser

from reader.export.copy_as import COPY_AS, copy_choice, markdown_link
from reader.export.render import render
from reader.library.mark_records import UNMARKED
from reader.model.paper import Paper
from reader.sources.links import PaperLink, paper_links

DAPO = Paper(
    title="DAPO: An Open-Source [LLM] RL System",
    arxiv_id="2503.14476",
    authors=["Qiying Yu", "ByteDance Seed and Tsinghua AIR", "Mr AND Mrs Smith"],
    published="2025-03-18",
    code_url="https://github.com/BytedTsinghua-SIA/DAPO",
    project_url="https://dapo-sia.github.io/",
)
DUMP = Paper(title="Alignment for Honesty")


def bibtex_authors(field: str) -> list[str]:
    """Split an author field as BibTeX does: at "and" between spaces, outside braces."""
    names, depth, start = [], 0, 0
    for match in re.finditer(r"[{}]|\s+and\s+", field, re.IGNORECASE):
        token = match.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            names.append(field[start:match.start()])
            start = match.end()
    return names + [field[start:]]


def test_an_author_named_with_and_stays_one_author() -> None:
    [entry] = bibtexparser.loads(render([DAPO], lambda p: UNMARKED, "bibtex")).entries
    assert bibtex_authors(entry["author"]) == ["Qiying Yu", "{ByteDance Seed and Tsinghua AIR}", "{Mr AND Mrs Smith}"]


def test_b_is_exactly_the_export_of_that_paper() -> None:
    choice = copy_choice(DAPO, "b")
    assert choice is not None and choice.label == "BibTeX entry"
    assert choice.text == render([DAPO], lambda p: UNMARKED, "bibtex")
    assert choice.text.startswith("@misc{arxiv2503.14476,")


def test_each_letter_copies_its_value() -> None:
    expected = {
        "i": "2503.14476",
        "m": r"[DAPO: An Open-Source \[LLM\] RL System](https://huggingface.co/papers/2503.14476)",
        "t": "DAPO: An Open-Source [LLM] RL System",
        "h": "https://huggingface.co/papers/2503.14476",
        "c": "https://github.com/BytedTsinghua-SIA/DAPO",
    }
    for letter, text in expected.items():
        choice = copy_choice(DAPO, letter)
        assert choice is not None and choice.text == text, letter
        assert choice.label == COPY_AS[letter]
    assert copy_choice(DAPO, "x") is None


def test_missing_values_say_so() -> None:
    for letter, missing in (("i", "no arXiv id"), ("c", "no code link")):
        choice = copy_choice(DUMP, letter)
        assert choice is not None and choice.text is None and missing in choice.missing
    assert markdown_link(DUMP).startswith("[Alignment for Honesty](https://huggingface.co/papers?q=Alignment+for")


def test_the_links_are_numbered_in_order_and_only_http() -> None:
    links = paper_links(DAPO)
    assert [(link.label, link.url) for link in links] == [
        ("Hugging Face page", "https://huggingface.co/papers/2503.14476"),
        ("arXiv abstract", "https://arxiv.org/abs/2503.14476"),
        ("PDF", "https://arxiv.org/pdf/2503.14476"),
        ("code", "https://github.com/BytedTsinghua-SIA/DAPO"),
        ("project page", "https://dapo-sia.github.io/"),
    ]
    more = [PaperLink("model org/m", "https://huggingface.co/org/m"), PaperLink("bad", "javascript:alert(1)"),
            PaperLink("again", "https://arxiv.org/pdf/2503.14476")]
    assert [link.label for link in paper_links(DAPO, more)][-1] == "model org/m"
    assert len(paper_links(DAPO, more)) == 6
    hostile = Paper(title="x", code_url="file:///etc/passwd", project_url="https://a.example/ b")
    assert [link.label for link in paper_links(hostile)] == ["Hugging Face page"]
