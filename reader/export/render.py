"""Papers and their marks as JSON, Markdown, BibTeX or CSV, for ``paper-reader export``.

Pure functions over papers and a ``marks`` lookup (``Store.mark``), so they run without a
terminal and are tested without a store.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from reader.model import Paper
from reader.sources import iso_date
from reader.search import Query, matches
from reader.library import Mark

FORMATS = ("json", "markdown", "bibtex", "csv")
FILTERS = frozenset({"bookmarked", "unread", "read", "new"})

FIELDS = (
    "id",
    "key",
    "title",
    "authors",
    "author_count",
    "published",
    "upvotes",
    "abstract",
    "code_url",
    "project_url",
    "hf_url",
    "arxiv_url",
    "read",
    "bookmarked",
    "read_at",
    "bookmarked_at",
    "organization",
    "github_stars",
)
"""The JSON object's keys, in order; also the CSV columns."""

Marks = Callable[[Paper], Mark]

def filter_papers(papers: Iterable[Paper], marks: Marks, which: str | None) -> list[Paper]:
    """Only the bookmarked, unread, read or new papers (never on screen in a list); all of
    them for ``None``."""
    if which is None:
        return list(papers)
    if which not in FILTERS:
        raise ValueError(f"unknown filter {which!r}: use one of {', '.join(sorted(FILTERS))}")
    query = Query(states=[which])  # the same filter as is:read, is:unread, is:bookmarked, is:new
    return [p for p in papers if matches(p, query, marks(p))]


def render(papers: list[Paper], marks: Marks, fmt: str) -> str:
    """The papers in ``fmt`` (one of :data:`FORMATS`); ``ValueError`` for any other."""
    return "".join(render_parts(papers, marks, fmt))


def render_parts(papers: list[Paper], marks: Marks, fmt: str) -> Iterator[str]:
    """``render`` piece by piece, to write as it goes: a 100,000-paper export never holds
    its whole text (~190 MB of JSON) in memory."""
    renderers = {"json": _json, "markdown": _markdown, "bibtex": _bibtex, "csv": _csv}
    if fmt not in renderers:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    return renderers[fmt](papers, marks)


def export_record(paper: Paper, mark: Mark) -> dict[str, Any]:
    """One paper as the JSON export shows it (the product contract's field list)."""
    return {
        "id": paper.arxiv_id,
        "key": paper.key,
        "title": paper.title,
        "authors": list(paper.authors),
        "author_count": paper.shown_author_count,
        "published": iso_date(paper.published),
        "upvotes": paper.upvotes,
        "abstract": paper.abstract,
        "code_url": paper.code_url,
        "project_url": paper.project_url,
        "hf_url": paper.hf_url,
        "arxiv_url": paper.arxiv_url,
        "read": mark.read,
        "bookmarked": mark.bookmarked,
        "read_at": mark.read_at,
        "bookmarked_at": mark.bookmarked_at,
        "organization": paper.organization,
        "github_stars": paper.github_stars,
    }


def _json(papers: list[Paper], marks: Marks) -> Iterator[str]:
    """A JSON list, one paper per line.

    ``indent=`` would switch ``json`` to its pure-Python encoder, ten times slower on a
    100,000-paper library; each line is encoded by the C encoder instead.
    """
    if not papers:
        yield "[]\n"
        return
    separator = "[\n  "
    for paper in papers:
        yield separator + json.dumps(export_record(paper, marks(paper)), ensure_ascii=False)
        separator = ",\n  "
    yield "\n]\n"


def _csv(papers: list[Paper], marks: Marks) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for paper in papers:
        record = export_record(paper, marks(paper))
        record["authors"] = "; ".join(record["authors"])
        writer.writerow([_csv_cell(record[name]) for name in FIELDS])
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP's list).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> str:
    """A cell as text: an apostrophe before anything a spreadsheet would take for a
    formula, and a carriage return as the line break it means (the writer quotes those;
    a bare one breaks the row for most readers). Numbers are left as numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str):
        return str(value)
    if value.startswith(_FORMULA_STARTS):
        value = "'" + value
    return value.replace("\r\n", "\n").replace("\r", "\n")


# --- markdown ---------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def _markdown(papers: list[Paper], marks: Marks) -> Iterator[str]:
    yield "# Reading list\n\n"
    if not papers:
        yield "_No papers._\n"
        return
    count = f"{len(papers)} paper" + ("" if len(papers) == 1 else "s")
    yield f"_{count} · ✓ read · ★ bookmarked_\n\n"
    for paper in papers:
        yield _md_item(paper, marks(paper)) + "\n"


def _md_item(paper: Paper, mark: Mark) -> str:
    title = _MD_SPECIAL.sub(r"\\\1", " ".join(paper.title.split()))
    head = f"- [{title}]({_md_url(paper.hf_url)})"
    flags = ("✓" if mark.read else "") + ("★" if mark.bookmarked else "")
    parts = [head + (f" {flags}" if flags else "")]
    if date := iso_date(paper.published):
        parts.append(date)
    if people := short_authors(paper):
        parts.append(_MD_SPECIAL.sub(r"\\\1", people))
    if paper.code_url:
        parts.append(f"[code]({_md_url(paper.code_url)})")
    return " · ".join(parts)


def short_authors(paper: Paper) -> str:
    """"A, B, C et al." (the first three), or "N authors" when only a count is known."""
    if paper.authors:
        shown = ", ".join(paper.authors[:3])
        return shown + (" et al." if len(paper.authors) > 3 else "")
    if paper.author_count:
        return f"{paper.author_count} authors"
    return ""


_URL_UNSAFE = str.maketrans({" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E"})


def _md_url(url: str) -> str:
    """A URL safe inside ``(...)``: brackets and spaces percent-encoded."""
    return url.translate(_URL_UNSAFE)


# --- bibtex -----------------------------------------------------------------------------------

_BIB_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIB_SPECIAL = re.compile("|".join(re.escape(ch) for ch in _BIB_ESCAPES))
_BIB_BACK = {v: k for k, v in _BIB_ESCAPES.items()}
_BIB_UNESCAPE = re.compile("|".join(re.escape(v) for v in sorted(_BIB_BACK, key=len, reverse=True)))
_STOPWORDS = frozenset("a an the on of in for to and or via with from at by is are do does".split())


def bibtex_escape(text: str) -> str:
    """LaTeX-escape a field value. Braces become ``\\textbraceleft{}``: a bare ``\\{`` would
    unbalance BibTeX's brace counting and make parsers drop the entry."""
    return _BIB_SPECIAL.sub(lambda m: _BIB_ESCAPES[m.group(0)], " ".join(text.split()))


def bibtex_unescape(text: str) -> str:
    """Undo :func:`bibtex_escape` (for round-trip checks and importers)."""
    return _BIB_UNESCAPE.sub(lambda m: _BIB_BACK[m.group(0)], text)


_BIB_AND = re.compile(r"\sand\s", re.IGNORECASE)


def bibtex_author(name: str) -> str:
    """One author, escaped; a name holding the word "and" (a team, "Smith and Sons") is
    braced whole, or BibTeX would split it into two authors at that word."""
    escaped = bibtex_escape(name)
    return f"{{{escaped}}}" if _BIB_AND.search(escaped) else escaped


def bibtex_entry(paper: Paper) -> str:
    """The paper's entry exactly as ``export --format bibtex`` writes it for that paper alone."""
    return _bib_entry(paper, citation_key(paper))


def _bibtex(papers: list[Paper], marks: Marks) -> Iterator[str]:
    used: set[str] = set()
    separator = ""
    for paper in papers:
        yield separator + _bib_entry(paper, _unique(citation_key(paper), used))
        separator = "\n"


def _unique(key: str, used: set[str]) -> str:
    candidate, n = key, 1
    while candidate in used:
        n += 1
        candidate = f"{key}{chr(ord('a') + n - 1) if n <= 26 else n}"
    used.add(candidate)
    return candidate


def citation_key(paper: Paper) -> str:
    """``arxiv2312.07000`` when the id is known, else ``surname2023word``."""
    if paper.arxiv_id:
        return "arxiv" + re.sub(r"[^A-Za-z0-9.]", "", paper.arxiv_id)
    surname = _ascii_word(paper.authors[0].split()[-1]) if paper.authors and paper.authors[0].split() else ""
    words = [_ascii_word(w) for w in paper.title.split()]
    word = next((w for w in words if w and w not in _STOPWORDS), next((w for w in words if w), "paper"))
    year = (iso_date(paper.published) or "")[:4]
    return f"{surname or 'anon'}{year}{word}"


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _bib_entry(paper: Paper, key: str) -> str:
    fields: list[tuple[str, str]] = [("title", bibtex_escape(paper.title))]
    if paper.authors:
        fields.append(("author", " and ".join(bibtex_author(a) for a in paper.authors)))
    if date := iso_date(paper.published):
        fields.append(("year", date[:4]))
    if paper.arxiv_id:
        fields += [("eprint", paper.arxiv_id), ("archivePrefix", "arXiv")]
    fields.append(("url", paper.arxiv_url or paper.hf_url))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"
