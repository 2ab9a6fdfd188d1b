"""Papers from a saved or fetched Hugging Face papers HTML page.

The page's state sits as JSON in the ``data-props`` of a ``SVELTE_HYDRATER`` div, and a
page has several of those, so the island is chosen by ``data-target``: ``DailyPapers``
for listings and search, ``PaperContent`` for one paper. The visible cards are only a
last resort: their classes change often and they carry neither abstract nor authors.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag

from reader.sources.clean import clean_optional
from reader.model import ParseError
from reader.sources.parse_api import (
    arxiv_id,
    count,
    dedupe,
    paper_from_api,
    papers_from_items,
    props_items,
    query_text,
)
from reader.model import Paper

LISTING_TARGET = "DailyPapers"
PAPER_TARGET = "PaperContent"
_PAPER_HREF = re.compile(r"^/papers/([^/?#]+)/?(?:[?#].*)?$")
_DIGITS = re.compile(r"^\s*(\d{1,9})\s*$")
_CARD_DEPTH = 12
_TEXT_NODES = 400


@dataclass(slots=True)
class HtmlPage:
    """What a page holds: its papers and, for listings, which period or query it shows."""

    papers: list[Paper] = field(default_factory=list)
    period_type: str | None = None
    date_string: str | None = None
    prev_date: str | None = None
    query: str | None = None


def _props(tag: Tag) -> Mapping[str, Any]:
    raw = tag.get("data-props")
    if not isinstance(raw, str):
        raise ParseError(f'the page\'s "{tag.get("data-target")}" island has no data-props')
    try:
        props = json.loads(raw)
    except RecursionError:
        raise ParseError(f'the page\'s "{tag.get("data-target")}" island holds JSON nested too deeply') from None
    except ValueError as error:
        raise ParseError(f'the page\'s "{tag.get("data-target")}" island holds broken JSON ({error})') from None
    if not isinstance(props, Mapping):
        raise ParseError(f'the page\'s "{tag.get("data-target")}" island is not a JSON object')
    return props


def _listing(props: Mapping[str, Any]) -> HtmlPage:
    items = props_items(props)
    if items is None:
        raise ParseError('the page\'s "DailyPapers" island has neither dailyPapers nor searchResults')
    return HtmlPage(
        papers=papers_from_items(items, "page's paper list"),
        period_type=clean_optional(props.get("periodType"), limit=20),
        date_string=clean_optional(props.get("dateString"), limit=40),
        prev_date=clean_optional(props.get("prevDate"), limit=40),
        query=query_text(props),
    )


def _single(props: Mapping[str, Any]) -> HtmlPage:
    paper = paper_from_api(props.get("paper"))
    comments = props.get("comments")
    if paper.comments is None and isinstance(comments, list):
        paper.comments = len(comments)
    return HtmlPage(papers=[paper])


def _text(tag: Tag, limit: int = 2_000) -> str:
    """A tag's text from at most a few hundred of its first descendants.

    Hostile pages nest deeply, and bs4's own ``strings``/``descendants`` first walk the
    whole subtree, which makes a pass over all cards quadratic.
    """
    parts: list[str] = []
    size = 0
    budget = _TEXT_NODES
    stack = [iter(tag.contents)]
    while stack and budget > 0 and size < limit:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            continue
        budget -= 1
        if isinstance(node, Tag):
            stack.append(iter(node.contents))
        elif type(node) is NavigableString:  # not comments, doctypes, script text
            parts.append(str(node))
            size += len(node)
    return " ".join(parts)[:limit]


def _card_of(tag: Tag) -> Tag | None:
    """The ``article`` a tag sits in, looking only a few levels up (cards are shallow)."""
    for parent in islice(tag.parents, _CARD_DEPTH):
        if parent.name == "article":
            return parent
    return None


def _cards(soup: BeautifulSoup) -> list[Paper]:
    """Last resort: titles, ids and upvotes from the rendered ``article`` cards.

    One pass over the page, each link or vote counter matched to its nearby card, so a
    page of deeply nested junk costs linear time.
    """
    cards: dict[int, list[Any]] = {}  # id(article) -> [title, arxiv id, upvotes]
    for tag in soup.find_all(["a", "div"]):
        card = _card_of(tag)
        if card is None:
            continue
        entry = cards.setdefault(id(card), [None, None, None])
        if tag.name == "a":
            match = _PAPER_HREF.match(str(tag.get("href", "")))
            if entry[0] is None and match and any(p.name == "h3" for p in islice(tag.parents, 3)):
                entry[0], entry[1] = clean_optional(_text(tag)), arxiv_id(match.group(1))
        elif entry[2] is None and "leading-none" in (tag.get("class") or []):
            digits = _DIGITS.match(_text(tag, 40))
            entry[2] = count(int(digits.group(1))) if digits else None
    papers = [Paper(title=title, arxiv_id=paper_id, upvotes=votes) for title, paper_id, votes in cards.values() if title]
    return dedupe(papers)


def parse_html(text: str) -> HtmlPage:
    """Read a Hugging Face papers page; ``ParseError`` when it is not one."""
    if not isinstance(text, str):
        raise ParseError("an HTML page should be text")
    try:
        soup = BeautifulSoup(text, "html.parser")
    except Exception as error:  # bs4 may reject markup in several ways; all mean the same
        raise ParseError(f"the HTML cannot be read ({type(error).__name__})") from None
    islands: dict[str, Tag | None] = {LISTING_TARGET: None, PAPER_TARGET: None}
    for tag in soup.find_all(attrs={"data-target": True}):
        target = tag.get("data-target")
        if target in islands and islands[target] is None:
            islands[target] = tag
    island_error: ParseError | None = None
    for target, read in ((LISTING_TARGET, _listing), (PAPER_TARGET, _single)):
        tag = islands[target]
        if tag is None:
            continue
        try:
            return read(_props(tag))
        except ParseError as error:
            island_error = island_error or error
    papers = _cards(soup)
    if papers:
        return HtmlPage(papers=papers)
    if island_error is not None:
        raise island_error
    raise ParseError("the HTML has no Hugging Face papers data (no DailyPapers or PaperContent island, no paper cards)")
