"""The `Y` key's choices: one paper as its arXiv id, a BibTeX entry, a Markdown link, its
title, its Hugging Face link or its code link, as text ready for the clipboard.

Plain functions over a ``Paper``, so what each letter copies is tested without a terminal;
the BibTeX entry is the export's own, so `Y b` and ``export --format bibtex`` never differ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reader.export.render import bibtex_entry
from reader.model import Paper

COPY_AS: dict[str, str] = {
    "i": "arXiv id",
    "b": "BibTeX entry",
    "m": "Markdown link",
    "t": "title",
    "h": "Hugging Face link",
    "c": "code link",
}
"""Each letter after `Y`, and what it copies (in the order the prompt lists them)."""

_MD_TITLE_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_URL_UNSAFE = str.maketrans({" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E"})


@dataclass(frozen=True, slots=True)
class CopyChoice:
    """What one letter copies: ``text`` is None when the paper lacks it (``missing`` says so)."""

    label: str
    text: str | None
    missing: str = ""


def markdown_link(paper: Paper) -> str:
    """``[title](hf url)``, the title's Markdown characters escaped so the link stays one link."""
    title = _MD_TITLE_SPECIAL.sub(r"\\\1", " ".join(paper.title.split()))
    return f"[{title}]({paper.hf_url.translate(_URL_UNSAFE)})"


def copy_choice(paper: Paper, letter: str) -> CopyChoice | None:
    """The text ``letter`` copies for ``paper``; None for a letter that is not a choice."""
    label = COPY_AS.get(letter)
    if label is None:
        return None
    if letter == "i":
        return CopyChoice(label, paper.arxiv_id, "This paper has no arXiv id.")
    if letter == "b":
        return CopyChoice(label, bibtex_entry(paper))
    if letter == "m":
        return CopyChoice(label, markdown_link(paper))
    if letter == "t":
        return CopyChoice(label, " ".join(paper.title.split()) or None, "This paper has no title.")
    if letter == "h":
        return CopyChoice(label, paper.hf_url)
    return CopyChoice(label, paper.code_url, "This paper has no code link.")
