"""Papers from Hugging Face's JSON API (and the same JSON embedded in its HTML pages).

Optional keys are omitted in real answers and anything may be the wrong type in a saved
or hostile file, so every field is read with ``.get`` and type-checked; a field of the
wrong type is treated as missing. One bad item in a list is skipped rather than losing
the whole list.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from reader.sources.clean import NAME_MAX, SHORT_MAX, arxiv_id, clean_optional, clean_text
from reader.model import ParseError
from reader.sources.links import pick_links
from reader.model import Paper

# New-style (2602.23229, 2602.23229v2) and old-style (hep-th/9901001) arXiv ids.
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_MAX_AUTHORS = 5_000
_MAX_KEYWORDS = 100


def _kind(value: Any) -> str:
    """A JSON type name for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def iso_date(value: Any) -> str | None:
    """``YYYY-MM-DD`` from an ISO timestamp (the UTC date as written), else ``None``."""
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.match(value)
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return None


def count(value: Any) -> int | None:
    """A non-negative integer count, else ``None`` (booleans and floats are not counts)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def _authors(value: Any) -> list[str] | None:
    """Visible author names; ``None`` when the source has no author list at all."""
    if not isinstance(value, list):
        return None
    names: list[str] = []
    for author in value[:_MAX_AUTHORS]:
        if isinstance(author, Mapping):
            if author.get("hidden") is True:
                continue
            name = clean_text(author.get("name"), limit=NAME_MAX)
        elif isinstance(author, str):
            name = clean_text(author, limit=NAME_MAX)
        else:
            continue
        if name:
            names.append(name)
    return names


def _organization(*candidates: Any) -> str | None:
    for org in candidates:
        if isinstance(org, Mapping):
            name = clean_text(org.get("fullname"), limit=NAME_MAX) or clean_text(org.get("name"), limit=NAME_MAX)
        else:
            name = clean_text(org, limit=NAME_MAX) if isinstance(org, str) else ""
        if name:
            return name
    return None


def _keywords(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    words = (clean_text(word, limit=NAME_MAX) for word in value[:_MAX_KEYWORDS] if isinstance(word, str))
    return [word for word in words if word]


def paper_from_api(obj: Any, item: Any = None) -> Paper:
    """One ``Paper`` from a flat paper object, plus its list item wrapper when there is one.

    The paper object wins; the item fills in what it lacks (title, summary, date,
    organization) and gives the comment count.
    """
    if not isinstance(obj, Mapping):
        raise ParseError(f"a paper should be a JSON object, not {_kind(obj)}")
    wrapper: Mapping[str, Any] = item if isinstance(item, Mapping) else {}
    title = clean_text(obj.get("title")) or clean_text(wrapper.get("title"))
    if not title:
        raise ParseError("a paper in the JSON has no title")
    abstract = clean_text(obj.get("summary"), multiline=True) or clean_text(wrapper.get("summary"), multiline=True)
    authors = _authors(obj.get("authors"))
    code_url, project_url = pick_links(abstract, obj.get("githubRepo"), obj.get("projectPage"))
    comments = count(wrapper.get("numComments"))
    return Paper(
        title=title,
        abstract=abstract,
        arxiv_id=arxiv_id(obj.get("id")) or arxiv_id(wrapper.get("id")),
        authors=authors or [],
        author_count=len(authors) if authors is not None else None,
        organization=_organization(obj.get("organization"), wrapper.get("organization")),
        published=iso_date(obj.get("publishedAt")) or iso_date(wrapper.get("publishedAt")),
        submitted=iso_date(obj.get("submittedOnDailyAt")),
        upvotes=count(obj.get("upvotes")),
        comments=comments if comments is not None else count(obj.get("numComments")),
        code_url=code_url,
        project_url=project_url,
        github_stars=count(obj.get("githubStars")),
        ai_summary=clean_optional(obj.get("ai_summary"), multiline=True, limit=SHORT_MAX),
        ai_keywords=_keywords(obj.get("ai_keywords")),
    )


def paper_from_entry(entry: Any) -> Paper:
    """A ``Paper`` from either a list item (``{"paper": {...}, ...}``) or a flat paper."""
    if not isinstance(entry, Mapping):
        raise ParseError(f"a paper entry should be a JSON object, not {_kind(entry)}")
    inner = entry.get("paper")
    if isinstance(inner, Mapping):
        return paper_from_api(inner, entry)
    if "paper" in entry:
        raise ParseError(f'an item\'s "paper" should be a JSON object, not {_kind(inner)}')
    return paper_from_api(entry)


def papers_from_items(items: list[Any], what: str = "JSON array") -> list[Paper]:
    """Every usable paper in ``items``, each once; bad entries are skipped unless none is
    usable. An empty list is a valid answer (a weekend has no daily papers).
    """
    papers: list[Paper] = []
    first_error: ParseError | None = None
    for entry in items:
        try:
            papers.append(paper_from_entry(entry))
        except ParseError as error:
            first_error = first_error or error
    if items and not papers:
        raise ParseError(f"none of the {len(items)} entries in the {what} is a paper ({first_error})")
    return dedupe(papers)


def papers_from_api(data: Any) -> list[Paper]:
    """Papers from decoded API JSON.

    Accepts the array of ``/api/daily_papers`` or ``/api/papers/search``, one flat
    ``/api/papers/{id}`` object, one item, or the props object of an HTML page
    (``dailyPapers`` / ``searchResults``). Raises ``ParseError`` for any other shape.
    """
    if isinstance(data, list):
        return papers_from_items(data)
    if not isinstance(data, Mapping):
        raise ParseError(f"expected a JSON array of papers or a paper object, not {_kind(data)}")
    items = props_items(data)
    if items is not None:
        return papers_from_items(items)
    if "paper" in data or "title" in data:
        return [paper_from_entry(data)]
    error = data.get("error")
    if isinstance(error, str) and error.strip():
        raise ParseError(f"the API answered with an error: {clean_text(error, limit=200)}")
    raise ParseError("expected a JSON array of papers or a paper object, not an object without a title")


def query_text(props: Mapping[str, Any]) -> str | None:
    """The search query of a page's props (``{"q": ...}``, ``{}`` or a bare string)."""
    query = props.get("query")
    if isinstance(query, Mapping):
        query = query.get("q")
    return clean_optional(query, limit=NAME_MAX) if isinstance(query, str) else None


def props_items(props: Mapping[str, Any]) -> list[Any] | None:
    """The items a listing page shows: its search results on a search page, else its
    daily list (and any search results); ``None`` when the props hold no list at all."""
    daily = props.get("dailyPapers")
    search = props.get("searchResults")
    daily = daily if isinstance(daily, list) else None
    search = search if isinstance(search, list) else None
    if search is not None and query_text(props):
        return search
    if daily is None and search is None:
        return None
    return (daily or []) + (search or [])


def dedupe(papers: list[Paper]) -> list[Paper]:
    """Drop later copies of a paper (same key), keeping the order of first appearance."""
    seen: set[str] = set()
    unique: list[Paper] = []
    for paper in papers:
        if paper.key not in seen:
            seen.add(paper.key)
            unique.append(paper)
    return unique
