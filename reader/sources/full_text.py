"""Hugging Face's Markdown of a paper (``/papers/{id}.md``) as a title, a few header facts and
sections of readable text.

The answer is a small header (``Title:``, ``URL Source:``, ``Published Time:``) and, after
``Markdown Content:``, the body built from arXiv's HTML: ``##``-style and setext headings,
figures as Markdown images, citations as links, formulas written twice (rendered, then
LaTeX), and LaTeX macros that leaked (``\\useunder``, ``\\ul``). When arXiv has no HTML the
body comes from the Hugging Face page and holds little more than the abstract: that is no
full text, and ``FullText.has_text`` says so.

Everything here is untrusted text: it is cleaned (``clean_text``) before it is parsed, so no
escape or control character survives, and it stays plain text for the UI to show literally.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from reader.sources.clean import clean_optional, clean_text, safe_url
from reader.sources.latex_text import tidy_math

FULL_TEXT_MAX = 2_000_000
"""Characters of a full text kept and parsed; bodies run 45–120 K, so this only stops abuse."""
HEADING_MAX = 300
MAX_MATCHES = 10_000
FALLBACK_BODY = 1_500  # a body without sections and shorter than this is only the abstract

_CONTENT_MARK = "Markdown Content:"
_HEADER_LINES = 40
_ATX = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^(?:=+|-+)$")
_FENCE = re.compile(r"^(```|~~~)")
_MACRO_LINE = re.compile(r"^(?:\\[A-Za-z@]+\*?(?:\{[^{}]*\}|\[[^\[\]]*\])*\s*)+$")
_INLINE_MACROS = re.compile(r"\\(?:useunder|ul|uline)\b(?:\{[^{}]*\})*")
_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*([^)\s]*)(?:\s+\"[^\"]*\")?\s*\)")
_LINK = re.compile(r"\[([^\[\]]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)")
_GENERIC_ALT = re.compile(r"^(?:Image\s+(\d+)\s*:?\s*)?(?:Refer to caption)?\s*$", re.IGNORECASE)
_IMAGE_NUMBER = re.compile(r"^Image\s+\d+\s*:\s*", re.IGNORECASE)
_STRONG = re.compile(r"\*\*|__")


@dataclass(frozen=True, slots=True)
class Section:
    """One section: its heading, its depth (1 for ``#``, 0 for what precedes any heading)
    and its text, paragraphs separated by a blank line."""

    title: str
    level: int
    text: str


@dataclass(frozen=True, slots=True)
class FullText:
    """A parsed full text; ``has_text`` is False for the Hugging Face fallback page."""

    title: str
    source_url: str | None
    published: str | None
    sections: tuple[Section, ...]
    is_fallback: bool

    @property
    def has_text(self) -> bool:
        return not self.is_fallback and bool(self.sections)

    def find(self, query: str) -> list[tuple[int, int, int]]:
        """Every match of ``query`` (case-insensitive, literal) as ``(section, start, end)``,
        in reading order; at most ``MAX_MATCHES``."""
        query = query.strip()
        if not query:
            return []
        pattern = re.compile(re.escape(query), re.IGNORECASE)
        found: list[tuple[int, int, int]] = []
        for number, section in enumerate(self.sections):
            for match in pattern.finditer(section.text):
                found.append((number, match.start(), match.end()))
                if len(found) >= MAX_MATCHES:
                    return found
        return found


def _split_header(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """The header's ``Name: value`` lines and the body after ``Markdown Content:``; a text
    without that mark is all body."""
    for number, line in enumerate(lines[:_HEADER_LINES]):
        if line.strip().startswith(_CONTENT_MARK):
            header: dict[str, str] = {}
            for head in lines[:number]:
                name, colon, value = head.partition(":")
                if colon and name.strip() in ("Title", "URL Source", "Published Time"):
                    header.setdefault(name.strip(), value.strip())
            rest = line.strip()[len(_CONTENT_MARK):].strip()
            return header, ([rest] if rest else []) + lines[number + 1:]
    return {}, lines


def _figure(match: re.Match[str]) -> str:
    """``![Image 3: Refer to caption](…/x3.png)`` as ``Figure 3 → https://…/x3.png``; the
    caption paragraph that follows it in the page stays where it is."""
    alt = match.group(1).strip()
    url = safe_url(match.group(2))
    generic = _GENERIC_ALT.match(alt)
    if generic:
        label = f"Figure {generic.group(1)}" if generic.group(1) else "Figure"
    else:
        label = "Figure: " + _IMAGE_NUMBER.sub("", alt)
    return f"{label} → {url}" if url else label


def _inline(line: str) -> str:
    """One body line made readable: figures, links reduced to their text, strong marks and
    leaked macros gone, formulas single."""
    if "![" in line:
        line = _IMAGE.sub(_figure, line)
    if "](" in line:
        for _ in range(3):  # nested: [[1](url)] needs two passes
            line, count = _LINK.subn(lambda m: m.group(1), line)
            if not count:
                break
    if "\\" in line:
        line = _INLINE_MACROS.sub("", line)
    line = _STRONG.sub("", line)
    return tidy_math(line)


def _heading(text: str) -> str:
    return clean_text(_inline(text), limit=HEADING_MAX) or "(untitled section)"


def _sections(lines: list[str], title: str) -> list[Section]:
    """The body's lines cut at each heading; what precedes the first heading is a section
    named after the paper."""
    sections: list[Section] = []
    heading, level = title or "Front matter", 0
    body: list[str] = []
    fenced = False

    def close() -> None:
        text = "\n".join(body).strip()
        text = re.sub(r"\n{3,}", "\n\n", text)
        if text or level > 0:
            sections.append(Section(heading, level, text))

    at = 0
    while at < len(lines):
        line = lines[at]
        stripped = line.strip()
        if _FENCE.match(stripped):
            fenced = not fenced
            body.append(line)
            at += 1
            continue
        if not fenced:
            atx = _ATX.match(stripped)
            after = lines[at + 1].strip() if at + 1 < len(lines) else ""
            if atx:
                close()
                heading, level, body = _heading(atx.group(2)), len(atx.group(1)), []
                if heading.lower() == "abstract":  # arXiv's HTML makes it a sixth-level heading
                    level = min(level, 2)
                at += 1
                continue
            if stripped and len(after) >= 3 and _SETEXT.match(after) and not _SETEXT.match(stripped):
                close()
                heading, level, body = _heading(stripped), 1 if after[0] == "=" else 2, []
                at += 2
                continue
            if _MACRO_LINE.match(stripped) or (_SETEXT.match(stripped) and len(stripped) >= 3):
                at += 1  # a leaked macro, or a rule between paragraphs
                continue
            line = _inline(line)
        body.append(line)
        at += 1
    close()
    return sections


def _is_fallback(source_url: str | None, sections: list[Section]) -> bool:
    """The Hugging Face page standing in for arXiv's HTML: its URL is the HF page, or the
    body is no more than a short abstract."""
    if source_url:
        parts = urlsplit(source_url)
        host = (parts.hostname or "").removeprefix("www.")
        if host in ("huggingface.co", "hf.co") or parts.path.startswith("/papers/"):
            return True
    real = [s for s in sections if s.level > 0 and s.title.lower() != "abstract"]
    size = sum(len(s.text) for s in sections)
    return not real and size < FALLBACK_BODY


def parse_full_text(text: str) -> FullText:
    """The paper's Markdown as a ``FullText``; any text parses (a stranger's file, a
    truncated answer): at worst into one section, or none."""
    if not isinstance(text, str):
        text = ""
    cleaned = clean_text(text, multiline=True, limit=FULL_TEXT_MAX)
    header, body = _split_header(cleaned.split("\n"))
    title = clean_text(header.get("Title", ""), limit=HEADING_MAX)
    source_url = safe_url(header.get("URL Source", ""))
    published = clean_optional(header.get("Published Time"), limit=80)
    sections = _sections(body, title)
    return FullText(title, source_url, published, tuple(sections), _is_fallback(source_url, sections))
