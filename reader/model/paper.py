"""The one paper model every source parses into, and the keys state is stored under."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import quote_plus

HF_BASE = "https://huggingface.co"

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise_title(title: str) -> str:
    """Fold a title to the form two sources agree on: case, accents, punctuation and spacing."""
    if title.isascii():  # most titles: no accents to strip, and lower() is casefold()
        return _NON_WORD.sub(" ", title.lower()).strip()
    folded = unicodedata.normalize("NFKD", title)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", folded.casefold()).strip()


def title_key(title: str) -> str:
    """The key for a paper known only by its title (a text dump has no arXiv ids)."""
    return "title:" + normalise_title(title)


@dataclass(slots=True)
class Paper:
    """A paper as the reader shows it, whatever the source.

    Optional facts are ``None`` when the source does not carry them; ``authors`` may be
    empty while ``author_count`` is known (text dumps list only a count).
    """

    title: str
    abstract: str = ""
    arxiv_id: str | None = None
    authors: list[str] = field(default_factory=list)
    author_count: int | None = None
    organization: str | None = None
    published: str | None = None
    submitted: str | None = None
    upvotes: int | None = None
    comments: int | None = None
    code_url: str | None = None
    project_url: str | None = None
    github_stars: int | None = None
    ai_summary: str | None = None
    ai_keywords: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Stable key: the arXiv id when known, else the normalised title."""
        return f"arxiv:{self.arxiv_id}" if self.arxiv_id else self.title_key

    @property
    def title_key(self) -> str:
        return title_key(self.title)

    @property
    def hf_url(self) -> str:
        """The paper's Hugging Face page, or a search for its title when the id is unknown."""
        if self.arxiv_id:
            return f"{HF_BASE}/papers/{self.arxiv_id}"
        return f"{HF_BASE}/papers?q={quote_plus(self.title)}"

    @property
    def arxiv_url(self) -> str | None:
        return f"https://arxiv.org/abs/{self.arxiv_id}" if self.arxiv_id else None

    @property
    def shown_author_count(self) -> int | None:
        """How many authors to report: the named ones, else the count the source gave."""
        return len(self.authors) if self.authors else self.author_count

    def to_record(self) -> dict[str, Any]:
        """A plain JSON-able dict for the library file."""
        return asdict(self)
