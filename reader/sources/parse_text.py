"""Papers from a text dump: what a person gets by saving or copying a papers page as text.

Layout (HF-PAPERS.md): a header, then per paper a title line, a blank, the abstract, a
blank and an optional meta block (``• N authors`` or an organisation line, ``·``, a date
``Mon D[, YYYY]`` optionally followed by the upvote count). The meta blocks are the only
reliable landmarks, so the dump is cut at them; between two of them, paragraphs pair up
as title and abstract (entries without a meta block sit back to back).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from reader.sources.clean import ABSTRACT_MAX, NAME_MAX, clean_text
from reader.model import ParseError
from reader.sources.links import pick_links
from reader.model import Paper

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_DATE = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:,\s*(\d{4}))?(?:\s+(\d{1,9}))?$")
_AUTHORS = re.compile(r"^[•·*\-]?\s*(\d{1,6})\s+authors?$", re.IGNORECASE)
_DOT = frozenset({"·", "•", "-", "|"})
_HEADER = re.compile(
    r"^(?:new|subscribe|get trending papers in your email inbox!?|(?:daily|weekly|monthly|trending)"
    r" papers|by\s?ak and the research community)$",
    re.IGNORECASE,
)
_TITLE_MAX_GUESS = 300  # longer single lines are taken for abstract text, not a title


@dataclass(slots=True)
class _Meta:
    author_count: int | None = None
    organization: str | None = None
    published: str | None = None
    upvotes: int | None = None


@dataclass(slots=True)
class _Entry:
    title: str
    abstract: list[str] = field(default_factory=list)
    meta: _Meta | None = None


def _date(line: str, today: dt.date) -> tuple[str | None, int | None] | None:
    """``(iso date or None, upvotes)`` for a meta date line, ``None`` if it is not one.

    A date without a year is in the current year, unless that would put it in the
    future: then the dump was made last year.
    """
    match = _DATE.match(line)
    if not match or match.group(1).lower() not in _MONTHS:
        return None
    month, day = _MONTHS[match.group(1).lower()], int(match.group(2))
    upvotes = int(match.group(4)) if match.group(4) else None
    try:
        if match.group(3):
            return dt.date(int(match.group(3)), month, day).isoformat(), upvotes
        date = dt.date(today.year, month, day)
        if date > today + dt.timedelta(days=1):
            date = dt.date(today.year - 1, month, day)
        return date.isoformat(), upvotes
    except ValueError:
        return None, upvotes


def _lines(text: str, today: dt.date) -> list[tuple[str, int]]:
    """Non-blank lines, cleaned (so an escape sequence cannot hide a meta line), each with
    the index of its paragraph. A meta block copied onto one line (``6 authors · Apr 20,
    2023``) is split back into its three lines."""
    out: list[tuple[str, int]] = []
    paragraph = 0
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = clean_text(raw, limit=ABSTRACT_MAX)
        if not line:
            if out and out[-1][1] == paragraph:
                paragraph += 1
            continue
        head, dot, tail = line.rpartition(" · ")
        if dot and len(head) <= NAME_MAX and _date(tail, today) is not None:
            out.extend([(head.strip(), paragraph), ("·", paragraph), (tail.strip(), paragraph)])
        else:
            out.append((line, paragraph))
    return out


def _skip_header(lines: list[tuple[str, int]], today: dt.date) -> tuple[int, bool]:
    """Index of the first paper line, and whether any header line was seen."""
    index = 0
    while index < len(lines):
        line = lines[index][0]
        if _HEADER.match(line) or _date(line, today) is not None:
            index += 1
        else:
            break
    return index, index > 0


def _alone(lines: list[tuple[str, int]], i: int) -> bool:
    """Whether line ``i`` is a paragraph of its own."""
    paragraph = lines[i][1]
    return (i == 0 or lines[i - 1][1] != paragraph) and (i + 1 == len(lines) or lines[i + 1][1] != paragraph)


def _is_meta_start(lines: list[tuple[str, int]], i: int, today: dt.date) -> bool:
    line, paragraph = lines[i]
    if _AUTHORS.match(line) or line in _DOT or _date(line, today) is not None:
        return True
    # An organisation line: directly followed by the "·" line in the same paragraph.
    return i + 1 < len(lines) and lines[i + 1][0] in _DOT and lines[i + 1][1] == paragraph


def _read_meta(lines: list[tuple[str, int]], i: int, today: dt.date) -> tuple[_Meta, int]:
    """Read one meta block starting at ``i``; it ends after its date line."""
    meta = _Meta()
    first = True
    while i < len(lines) and _is_meta_start(lines, i, today):
        line = lines[i][0]
        authors = _AUTHORS.match(line)
        date = _date(line, today)
        i += 1
        if authors:
            if not first:
                i -= 1
                break
            meta.author_count = int(authors.group(1))
        elif date is not None:
            meta.published, meta.upvotes = date
            break
        elif line not in _DOT:
            if not first:
                i -= 1
                break
            meta.organization = clean_text(line, limit=NAME_MAX) or None
        first = False
    return meta, i


def _looks_like_title(lines: list[str]) -> bool:
    return len(lines) == 1 and len(lines[0]) <= _TITLE_MAX_GUESS and not lines[0].endswith(".")


def _entries(paragraphs: list[list[str]]) -> list[_Entry]:
    """Pair paragraphs as title and abstract; a paragraph that cannot be a title where one
    is expected continues the previous abstract."""
    todo = paragraphs[::-1]  # a stack: the next paragraph is todo[-1]
    entries: list[_Entry] = []
    while todo:
        lines = todo.pop()
        if entries and entries[-1].abstract and not _looks_like_title(lines):
            entries[-1].abstract.append(" ".join(lines))
            continue
        entry = _Entry(title=lines[0])
        if len(lines) > 1:  # no blank between title and abstract
            entry.abstract.append(" ".join(lines[1:]))
        elif todo:
            abstract = todo.pop()
            # "…the abstract ends.\nNext Title" then the next abstract: the title of an
            # entry without a meta block stuck to this abstract.
            if len(abstract) > 1 and todo and _looks_like_title(abstract[-1:]) and not _looks_like_title(todo[-1]):
                todo.append(abstract[-1:])
                abstract = abstract[:-1]
            entry.abstract.append(" ".join(abstract))
        entries.append(entry)
    return entries


def _paper(entry: _Entry) -> Paper | None:
    title = clean_text(entry.title)
    if not title:
        return None
    abstract = clean_text("\n\n".join(entry.abstract), multiline=True)
    code_url, project_url = pick_links(abstract)
    meta = entry.meta or _Meta()
    return Paper(
        title=title,
        abstract=abstract,
        author_count=meta.author_count,
        organization=meta.organization,
        published=meta.published,
        upvotes=meta.upvotes,
        code_url=code_url,
        project_url=project_url,
    )


def parse_text_dump(text: str, *, today: dt.date | None = None) -> list[Paper]:
    """Papers in a text dump of a Hugging Face papers page; ``ParseError`` when none.

    ``today`` fixes the year of dates written without one (default: the real today).
    """
    if not isinstance(text, str):
        raise ParseError("a text dump should be text")
    today = today or dt.date.today()
    lines = _lines(text, today)
    i, had_header = _skip_header(lines, today)
    entries: list[_Entry] = []
    paragraphs: list[list[str]] = []
    metas = 0

    def flush() -> None:
        entries.extend(_entries(paragraphs))
        paragraphs.clear()

    while i < len(lines):
        if _is_meta_start(lines, i, today):
            meta, i = _read_meta(lines, i, today)
            flush()
            if entries and entries[-1].meta is None:
                entries[-1].meta = meta
                metas += 1
            continue
        line, paragraph = lines[i]
        if _HEADER.match(line) and _alone(lines, i):  # page chrome repeated mid-dump
            i += 1
            continue
        if paragraphs and lines[i - 1][1] == paragraph and not _is_meta_start(lines, i - 1, today):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
        i += 1
    flush()
    # A lone line with neither abstract nor meta block is page furniture, not a paper.
    kept = [entry for entry in entries if entry.abstract or entry.meta is not None]
    papers = [paper for paper in map(_paper, kept) if paper is not None]
    if not papers or not (had_header or metas):
        raise ParseError("no papers found: this is not a Hugging Face papers text dump")
    return papers
