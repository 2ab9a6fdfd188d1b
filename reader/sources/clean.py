"""Hostile-text defence: every string a parser returns goes through here.

Titles, abstracts and names come from strangers and end up on a terminal. Escape
sequences could recolour the screen or write the clipboard (OSC 52), bidi overrides and
zero-width characters can make one string look like another, and a megabyte title would
stall the list pane. Markup-looking text (``[bold]``, ``<b>``) is left alone on purpose:
the UI renders with rich ``Text``, so it is shown literally. An arXiv id is checked here
too: it ends up in URLs.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

TITLE_MAX = 500
ABSTRACT_MAX = 20_000
NAME_MAX = 200
SHORT_MAX = 2_000
URL_MAX = 2_000
ELLIPSIS = "…"
_MAX_COMBINING = 4  # a run of combining marks longer than this is "zalgo" text

# String sequences (OSC, DCS, SOS, PM, APC) up to their terminator (BEL, or ST as ESC \ or
# 0x9C). An unterminated one only loses its introducer, so its payload shows as plain text.
# 8-bit introducers are C1 controls, dropped one by one later (terminals in UTF-8 mode
# do not act on them, and scanning for their payload could be quadratic).
_STRING_SEQ = re.compile(r"\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)")
_CSI_SEQ = re.compile(r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?")
_ESC_SEQ = re.compile(r"\x1b[\x20-\x2f]*[\x30-\x7e]?")
_NEWLINES = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_HSPACE = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_ARXIV_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z][a-z.\-]{1,30}/\d{7})(?:v\d{1,3})?$", re.IGNORECASE)


def _to_str(value: Any) -> str:
    """Strings as they are, numbers as digits, bytes decoded; anything else is no text."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="replace")
    return ""


def _drop_char(ch: str) -> bool:
    """Control, format (bidi, zero-width, tags), surrogate and non-character code points,
    and the characters of no agreed width (see ``_unsized``)."""
    category = unicodedata.category(ch)
    if category in ("Cc", "Cf", "Cs"):
        return True
    code = ord(ch)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE or _unsized(code)


_HANGUL_FILLERS = frozenset((0x115F, 0x1160, 0x3164, 0xFFA0))


def _unsized(code: int) -> bool:
    """Invisible characters that terminals and the layout give different widths: Hangul
    fillers (blank, yet some terminals give them two columns), variation selectors and
    skin-tone modifiers (they widen or join the character before them, or not, depending
    on the terminal). Each would shift every border to the right of it."""
    return (code in _HANGUL_FILLERS or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF
            or 0x1F3FB <= code <= 0x1F3FF or 0x180B <= code <= 0x180F)


_UNSIZED = re.compile("[\u115f\u1160\u3164\uffa0\ufe00-\ufe0f\U000e0100-\U000e01ef"
                      "\U0001f3fb-\U0001f3ff\u180b-\u180f\u200b-\u200f\u2060-\u2064\ufeff]")


def without_unsized(text: str) -> str:
    """``text`` without the characters of no agreed width nor zero-width joiners: for
    text drawn into a fixed number of columns that may predate ``clean_text`` dropping them."""
    if text.isascii():
        return text
    return _UNSIZED.sub("", text)


def _strip_chars(text: str, multiline: bool) -> str:
    out: list[str] = []
    combining = 0
    for ch in text:
        if ch == "\n":
            out.append("\n" if multiline else " ")
            combining = 0
        elif ch == "\t":
            out.append(" ")
            combining = 0
        elif ch.isascii() and ch.isprintable():
            out.append(ch)
            combining = 0
        elif _drop_char(ch):
            continue
        elif unicodedata.combining(ch):
            combining += 1
            if combining <= _MAX_COMBINING:
                out.append(ch)
        else:
            out.append(ch)
            combining = 0
    return "".join(out)


def strip_escapes(text: str) -> str:
    """Remove terminal escape sequences whole (so no payload such as OSC 52 data is left)."""
    if "\x1b" not in text and "\x9b" not in text:
        return text
    text = _STRING_SEQ.sub("", text)
    text = _CSI_SEQ.sub("", text)
    return _ESC_SEQ.sub("", text)


def truncate(text: str, limit: int) -> str:
    """Cap ``text`` at ``limit`` characters, marking the cut with an ellipsis."""
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def clean_text(value: Any, *, multiline: bool = False, limit: int | None = None) -> str:
    """Make any value safe to show as one line (or, with ``multiline``, a paragraph).

    ``limit`` defaults to ``TITLE_MAX`` for single-line text and ``ABSTRACT_MAX`` for
    multi-line text. The result never holds escape, control, bidi or zero-width
    characters, and single-line text has no runs of spaces.
    """
    if limit is None:
        limit = ABSTRACT_MAX if multiline else TITLE_MAX
    text = _to_str(value)
    if not text:
        return ""
    # Escape sequences only shrink text, so a generous pre-cut keeps huge input cheap.
    text = text[: max(limit * 8, 4096)]
    text = strip_escapes(text)
    text = _NEWLINES.sub("\n", text)
    text = _strip_chars(text, multiline)
    if multiline:
        lines = [_HSPACE.sub(" ", line).strip() for line in text.split("\n")]
        text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    else:
        text = _HSPACE.sub(" ", text).strip()
    return truncate(text, limit)


def clean_optional(value: Any, *, multiline: bool = False, limit: int | None = None) -> str | None:
    """``clean_text`` that gives ``None`` instead of an empty string."""
    return clean_text(value, multiline=multiline, limit=limit) or None


def safe_url(value: Any) -> str | None:
    """The URL if it is a plain ``http``/``https`` link with a host, else ``None``.

    Rejects other schemes (``javascript:``, ``file:``, ``data:``), embedded whitespace or
    control characters, backslashes, credentials (``https://github.com@evil.example``) and
    anything over ``URL_MAX`` characters.
    """
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or len(url) > URL_MAX:
        return None
    if "\\" in url or any(ch.isspace() or _drop_char(ch) for ch in url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    if "@" in parts.netloc or not url.lower().startswith(parts.scheme.lower() + "://"):
        return None
    if host.startswith(".") or ".." in host:
        return None
    return url


def arxiv_id(value: Any) -> str | None:
    """A bare arXiv id, or ``None`` when the value does not look like one."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if _ARXIV_ID.match(value) else None
