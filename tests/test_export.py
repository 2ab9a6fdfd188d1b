"""Export formats: JSON fields and values, Markdown links, BibTeX that parses, CSV that reads back."""

from __future__ import annotations

import csv
import io
import json

import bibtexparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.export.render import (
    FIELDS,
    FILTERS,
    bibtex_unescape,
    citation_key,
    filter_papers,
    render,
)
from reader.model.paper import Paper
from reader.library.mark_records import Mark

FULL = Paper(
    title="Implicit Temporal Modeling with Learnable Alignment for Video Recognition",
    abstract="Contrastive language-image pretraining (CLIP) has demonstrated success.",
    arxiv_id="2304.10465",
    authors=["Shuyuan Tu", "Qi Dai", "Zuxuan Wu", "Zhi-Qi Cheng", "Han Hu"],
    organization="Fudan University",
    published="2023-04-20T17:59:01.000Z",
    upvotes=12,
    code_url="https://github.com/Francis-Rings/ILA",
    project_url="https://francis-rings.github.io/ILA",
    github_stars=150,
)
DUMP = Paper(
    title="Alignment & Safety: 100% $robust_ness #1 {really}",
    abstract="From a text dump.",
    author_count=50,
    published="2025-07-25",
)
BARE = Paper(title="Über Ünïcode Models")

READ_AT = "2025-03-18T08:00:00Z"
MARKS = {
    FULL.key: Mark(True, True, READ_AT, "2025-03-18T08:01:00Z", 1.0),
    DUMP.key: Mark(False, True, None, "2025-03-18T08:02:00Z", 2.0),
}


def marks(paper: Paper) -> Mark:
    return MARKS.get(paper.key, Mark(False, False, None, None, 0.0))


PAPERS = [FULL, DUMP, BARE]


def test_json_has_the_contract_fields_and_values() -> None:
    records = json.loads(render(PAPERS, marks, "json"))
    assert [list(r) for r in records] == [list(FIELDS)] * 3
    full, dump, bare = records
    assert full == {
        "id": "2304.10465",
        "key": "arxiv:2304.10465",
        "title": FULL.title,
        "authors": FULL.authors,
        "author_count": 5,
        "published": "2023-04-20",
        "upvotes": 12,
        "abstract": FULL.abstract,
        "code_url": "https://github.com/Francis-Rings/ILA",
        "project_url": "https://francis-rings.github.io/ILA",
        "hf_url": "https://huggingface.co/papers/2304.10465",
        "arxiv_url": "https://arxiv.org/abs/2304.10465",
        "read": True,
        "bookmarked": True,
        "read_at": READ_AT,
        "bookmarked_at": "2025-03-18T08:01:00Z",
        "organization": "Fudan University",
        "github_stars": 150,
    }
    assert dump["id"] is None and dump["key"] == DUMP.title_key
    assert dump["authors"] == [] and dump["author_count"] == 50
    assert dump["read"] is False and dump["bookmarked"] is True
    assert dump["hf_url"].startswith("https://huggingface.co/papers?q=") and dump["arxiv_url"] is None
    assert bare["published"] is None and bare["upvotes"] is None and bare["author_count"] is None
    assert "Über Ünïcode" in render([BARE], marks, "json")  # not \\u-escaped


def test_markdown_reading_list() -> None:
    text = render(PAPERS, marks, "markdown")
    lines = text.splitlines()
    assert lines[0] == "# Reading list"
    items = [line for line in lines if line.startswith("- ")]
    assert items[0] == (
        f"- [{FULL.title}](https://huggingface.co/papers/2304.10465) ✓★ · 2023-04-20 · "
        "Shuyuan Tu, Qi Dai, Zuxuan Wu et al. · [code](https://github.com/Francis-Rings/ILA)"
    )
    assert items[1].startswith(r"- [Alignment & Safety: 100% $robust\_ness #1 {really}](https://huggingface.co/papers?q=")
    assert items[1].endswith("★ · 2025-07-25 · 50 authors")
    assert items[2].startswith("- [Über Ünïcode Models](") and "✓" not in items[2]
    assert render([], marks, "markdown").startswith("# Reading list")


def test_markdown_escapes_brackets_in_titles_and_urls() -> None:
    odd = Paper(title="[RE] Reproducing *X*", arxiv_id="2401.00001", code_url="https://x.org/a_(b)")
    item = render([odd], marks, "markdown").splitlines()[-1]
    assert item.startswith(r"- [\[RE\] Reproducing \*X\*](https://huggingface.co/papers/2401.00001)")
    assert item.endswith("[code](https://x.org/a_%28b%29)")


def test_bibtex_parses_with_ids_eprints_and_titles() -> None:
    text = render(PAPERS, marks, "bibtex")
    db = bibtexparser.loads(text)
    assert len(db.entries) == 3
    full, dump, bare = db.entries
    assert full["ID"] == "arxiv2304.10465" and full["ENTRYTYPE"] == "misc"
    assert full["eprint"] == "2304.10465" and full["archiveprefix"] == "arXiv"
    assert full["url"] == "https://arxiv.org/abs/2304.10465" and full["year"] == "2023"
    assert full["author"] == "Shuyuan Tu and Qi Dai and Zuxuan Wu and Zhi-Qi Cheng and Han Hu"
    assert dump["ID"] == "anon2025alignment" and "eprint" not in dump
    assert dump["title"] == r"Alignment \& Safety: 100\% \$robust\_ness \#1 \textbraceleft{}really\textbraceright{}"
    assert [bibtex_unescape(e["title"]) for e in db.entries] == [p.title for p in PAPERS]
    assert bare["ID"] == "anonuber"


def test_citation_keys() -> None:
    urial = Paper(title="The Unlocking Spell on Base LLMs", authors=["Bill Yuchen Lin"], published="2023-12-04")
    assert citation_key(urial) == "lin2023unlocking"
    assert citation_key(Paper(title="X", arxiv_id="hep-th/9901001")) == "arxivhepth9901001"
    twins = [Paper(title="Same", authors=["A Smith"], published="2024-01-01")] * 3
    ids = [e["ID"] for e in bibtexparser.loads(render(twins, marks, "bibtex")).entries]
    assert ids == ["smith2024same", "smith2024sameb", "smith2024samec"]


TRICKY = "aZ09 {}&%$#_~^\\@,=\"'()éü—"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(TRICKY), min_size=1, max_size=40).filter(lambda t: t.strip()))
def test_bibtex_title_round_trip(title: str) -> None:
    paper = Paper(title=title, authors=["Some Body"], arxiv_id="2401.00001")
    [entry] = bibtexparser.loads(render([paper], marks, "bibtex")).entries
    assert bibtex_unescape(entry["title"]) == " ".join(title.split())


def test_csv_reads_back() -> None:
    rows = list(csv.DictReader(io.StringIO(render(PAPERS, marks, "csv"))))
    assert len(rows) == 3
    assert tuple(rows[0]) == FIELDS
    assert rows[0]["authors"] == "Shuyuan Tu; Qi Dai; Zuxuan Wu; Zhi-Qi Cheng; Han Hu"
    assert rows[0]["read"] == "true" and rows[0]["upvotes"] == "12" and rows[0]["published"] == "2023-04-20"
    assert rows[1]["title"] == DUMP.title and rows[1]["id"] == "" and rows[1]["read"] == "false"
    assert rows[1]["author_count"] == "50"
    multiline = Paper(title="T", abstract="line one\nline, two \"quoted\"")
    [row] = csv.DictReader(io.StringIO(render([multiline], marks, "csv")))
    assert row["abstract"] == multiline.abstract


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted_with_an_apostrophe() -> None:
    hostile = Paper(
        title='=HYPERLINK("https://evil.example","click")',
        abstract="@SUM(1+1)*cmd|' /C calc'!A0",
        authors=["+Plus Sign", "Plain Name"],
        organization="-2+3",
        project_url="\tTabbed",
        arxiv_id="\r2401.00001",
        upvotes=-3,
    )
    [row] = csv.DictReader(io.StringIO(render([hostile], marks, "csv")))
    assert row["title"] == "'" + hostile.title
    assert row["abstract"] == "'" + hostile.abstract
    assert row["authors"] == "'+Plus Sign; Plain Name"
    assert row["organization"] == "'-2+3"
    assert row["project_url"] == "'\tTabbed"
    assert row["id"] == "'\n2401.00001", "a carriage return is a line break, quoted like one"
    assert row["upvotes"] == "-3", "a number is a number, not a formula"
    assert not any(value.startswith(FORMULA_STARTS) for value in row.values() if value != "-3")
    [plain] = csv.DictReader(io.StringIO(render([FULL], marks, "csv")))
    assert plain["title"] == FULL.title and plain["authors"].startswith("Shuyuan Tu")


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        render(PAPERS, marks, "yaml")


def test_filters() -> None:
    assert FILTERS == {"bookmarked", "unread", "read", "new"}
    assert filter_papers(PAPERS, marks, "bookmarked") == [FULL, DUMP]
    assert filter_papers(PAPERS, marks, "read") == [FULL]
    assert filter_papers(PAPERS, marks, "unread") == [DUMP, BARE]
    assert filter_papers(PAPERS, marks, None) == PAPERS
    with pytest.raises(ValueError, match="unknown filter"):
        filter_papers(PAPERS, marks, "starred")
