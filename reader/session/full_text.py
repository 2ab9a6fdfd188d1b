"""Getting a paper's full text for the reader: the kept copy first, else Hugging Face, kept
for next time; every way it can fail said in one line.

Runs in a worker thread (the fetch and the parse take a while); the screen shows the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reader.library import FullTexts
from reader.model import FetchError, Paper
from reader.sources import FullText, parse_full_text

if TYPE_CHECKING:
    from reader.sources import LiveSource


@dataclass(frozen=True, slots=True)
class FullTextResult:
    """The parsed text when there is one to read; else ``message`` says why not. ``warning``
    tells of a text shown but not kept (the data dir could not be written)."""

    full_text: FullText | None
    message: str | None = None
    warning: str | None = None
    offline: bool = False


def get_full_text(paper: Paper, data_dir: Path, live: LiveSource | None) -> FullTextResult:
    """``paper``'s full text from the data dir, else from ``live`` (None: offline)."""
    if not paper.arxiv_id:
        return FullTextResult(None, "This paper has no arXiv id, so Hugging Face has no full text for it.")
    texts = FullTexts(data_dir)
    kept = texts.get(paper.arxiv_id)
    if kept is not None:
        return _readable(parse_full_text(kept), offline=True)
    if live is None:
        return FullTextResult(None, "No full text kept for this paper, and the reader is offline.", offline=True)
    try:
        answer = live.fetch_full_text(paper.arxiv_id)
    except FetchError as error:
        return FullTextResult(None, f"Cannot fetch the full text: {error}")
    if answer is None:
        return FullTextResult(None, "Hugging Face has no full text for this paper (not indexed).")
    warning = None
    try:
        texts.put(paper.arxiv_id, answer)
    except (OSError, ValueError) as error:
        warning = f"The full text could not be kept for offline reading: {getattr(error, 'strerror', None) or error}"
    result = _readable(parse_full_text(answer))
    return FullTextResult(result.full_text, result.message, warning)


def _readable(full_text: FullText, offline: bool = False) -> FullTextResult:
    if not full_text.has_text:
        return FullTextResult(None, "Hugging Face has no full text for this paper, only its abstract.",
                              offline=offline)
    return FullTextResult(full_text, offline=offline)
