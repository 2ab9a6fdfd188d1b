"""Papers to and from the documents they are stored as (library shards, saved lists).

A document is a paper's fields as JSON; a library document also carries the paper's key
and title key. These run over every paper of a big library, so they avoid ``asdict`` and
generic checks where a plain loop is several times faster.
"""

from __future__ import annotations

import operator
import re
import sys
from dataclasses import fields
from typing import Any

from reader.model import Paper
from reader.library.keys import TITLE_PREFIX, title_key_of
from reader.sources import ABSTRACT_MAX, NAME_MAX, SHORT_MAX, TITLE_MAX, URL_MAX, arxiv_id, clean_text, safe_url

_PAPER_FIELDS = tuple(f.name for f in fields(Paper))
_LIST_FIELDS = tuple(i for i, f in enumerate(fields(Paper)) if f.default_factory is list)
_paper_values = operator.attrgetter(*_PAPER_FIELDS)
_REPEATED_FIELDS = ("organization", "published", "submitted")
# An http(s) link with a plain host and nothing but visible ASCII after it (no backslash,
# quote, space or "@" before the path): always one that ``safe_url`` keeps, found in C.
_PLAIN_URL = re.compile(r"https?://(?:[A-Za-z0-9-]+\.)*[A-Za-z0-9-]+(?:[/?#][!#-\[\]-~]*)?")


def paper_record(paper: Paper) -> dict[str, Any]:
    """``Paper.to_record`` without ``asdict``'s deep copy (ten times faster on big shards)."""
    return dict(zip(_PAPER_FIELDS, _clone_values(paper)))


def _clone_values(paper: Paper) -> list[Any]:
    values = list(_paper_values(paper))
    for i in _LIST_FIELDS:
        values[i] = list(values[i])
    return values


def clone_paper(paper: Paper) -> Paper:
    """A copy of ``paper`` whose lists are its own."""
    return Paper(*_clone_values(paper))


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != []


def merge_papers(old: Paper, new: Paper) -> Paper:
    """``new``'s facts where it has them, ``old``'s where it does not (a text dump has no ids).

    A new author list brings its own count, so a dump's "6 authors" never outlives the names.
    """
    record = paper_record(old)
    for name, value in paper_record(new).items():
        if _present(value) or (name == "author_count" and new.authors):
            record[name] = value
    return Paper(**record)


_WRONG = object()  # a field of the wrong type: the doc is not a paper


def _text(value: Any, limit: int, multiline: bool = False) -> Any:
    """A stored string made safe to show, as network text is (see ``clean_text``).

    Text that was cleaned before it was stored passes a C-speed check, so loading a big
    library does not clean every abstract again.
    """
    if not isinstance(value, str):
        return _WRONG
    plain = value.replace("\n", " ") if multiline and "\n" in value else value
    if len(value) <= limit and plain.isprintable():
        return value
    return clean_text(value, multiline=multiline, limit=limit)


def _optional_text(value: Any, limit: int, multiline: bool = False) -> Any:
    return None if value is None else (_text(value, limit, multiline) or None)


def _names(value: Any) -> Any:
    if not isinstance(value, list):
        return _WRONG
    if not value:
        return value
    if set(map(type, value)) == {str} and max(map(len, value)) <= NAME_MAX and "" not in value:
        if "".join(value).isprintable():  # every name is, then: the common case, in C
            return value
    names = [_text(name, NAME_MAX) for name in value]
    return _WRONG if _WRONG in names else [name for name in names if name]


def _count(value: Any) -> Any:
    if value is None or (type(value) is int and value >= 0):
        return value
    return _WRONG


def _link(value: Any) -> Any:
    """An http(s) link, ``None`` for any other link (as from the network), else wrong."""
    if value is None:
        return None
    if not isinstance(value, str):
        return _WRONG
    return value if len(value) <= URL_MAX and _PLAIN_URL.fullmatch(value) else safe_url(value)


def _arxiv_id(value: Any) -> Any:
    if value is None:
        return None
    return arxiv_id(value) or _WRONG


_CHECKS = {
    "title": lambda v: _text(v, TITLE_MAX),
    "abstract": lambda v: _text(v, ABSTRACT_MAX, multiline=True),
    "arxiv_id": _arxiv_id,
    "authors": _names,
    "author_count": _count,
    "organization": lambda v: _optional_text(v, NAME_MAX),
    "published": lambda v: _optional_text(v, NAME_MAX),
    "submitted": lambda v: _optional_text(v, NAME_MAX),
    "upvotes": _count,
    "comments": _count,
    "code_url": _link,
    "project_url": _link,
    "github_stars": _count,
    "ai_summary": lambda v: _optional_text(v, SHORT_MAX, multiline=True),
    "ai_keywords": _names,
}
assert set(_CHECKS) == set(_PAPER_FIELDS)


def checked_fields(doc: Any) -> dict[str, Any] | None:
    """A stored paper's fields after the checks network text gets, ``None`` when any has
    the wrong type or the title is empty: local files are no more trusted than a server."""
    if not isinstance(doc, dict):
        return None
    fields_: dict[str, Any] = {}
    for name, check in _CHECKS.items():
        if name in doc:
            value = check(doc[name])
            if value is _WRONG:
                return None
            fields_[name] = value
    return fields_ if fields_.get("title") else None


def paper_from_doc(doc: dict[str, Any]) -> tuple[str, str, Paper] | None:
    """(key, title key, paper) from a library doc; ``None`` when it is not a paper.

    The stored title key saves normalising 100,000 titles when the whole library loads.
    """
    checked = checked_fields(doc)
    if checked is None:
        return None
    paper = Paper(**checked)
    # Names, dates and organisations repeat across thousands of papers: keep one copy each.
    paper.authors = [sys.intern(name) for name in paper.authors]
    for name in _REPEATED_FIELDS:
        value = getattr(paper, name)
        if isinstance(value, str):
            setattr(paper, name, sys.intern(value))
    tkey = doc.get("title_key")
    if not isinstance(tkey, str) or not tkey.startswith(TITLE_PREFIX) or paper.title != doc["title"]:
        tkey = title_key_of(paper)
    return (f"arxiv:{paper.arxiv_id}" if paper.arxiv_id else tkey), tkey, paper
