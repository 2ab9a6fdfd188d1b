"""One entry point for a document of unknown kind: API JSON, an HTML page or a text dump.

``--file`` takes whatever the user saved, so the kind is sniffed from the content, and
every failure (missing file, binary, wrong shape) becomes a one-line ``ParseError`` that
names the file.
"""

from __future__ import annotations

import json
import re
from os import PathLike
from pathlib import Path

from reader.model import ParseError
from reader.model import Paper
from reader.sources.clean import SHORT_MAX, clean_text
from reader.sources.parse_api import papers_from_api
from reader.sources.parse_html import parse_html
from reader.sources.parse_text import parse_text_dump

MAX_FILE_BYTES = 64 * 1024 * 1024
NOT_PAPERS = "is not a Hugging Face papers page, text dump or API answer"
_HTML_START = re.compile(r"<[A-Za-z!?/]")
_HTML_ANYWHERE = re.compile(r"<(?:!doctype\s+html|html[\s>])|SVELTE_HYDRATER", re.IGNORECASE)


def _kind(text: str) -> str:
    """``json``, ``html`` (starts with a tag), ``html?`` (has page markers further in, but
    might be a dump whose abstract mentions ``<html>``) or ``text``."""
    head = text.lstrip()
    if head[:1] in ("[", "{"):
        return "json"
    if _HTML_START.match(head):
        return "html"
    if _HTML_ANYWHERE.search(head[:4096]):
        return "html?"
    return "text"


def _parse_json(text: str) -> list[Paper]:
    try:
        data = json.loads(text)
    except RecursionError:
        raise ParseError("the JSON is nested too deeply") from None
    except ValueError as error:
        raise ParseError(f"the document starts like JSON but is not valid JSON ({error})") from None
    try:
        return papers_from_api(data)
    except ParseError as error:
        raise ParseError(f"the JSON {NOT_PAPERS}: {error}") from None


def parse_document(text: str) -> list[Paper]:
    """Papers from API JSON, an HTML page or a text dump, whichever ``text`` is.

    An empty JSON array or a page with an empty list gives ``[]``; a document that is none
    of the three raises ``ParseError``.
    """
    if not isinstance(text, str):
        raise ParseError(f"the document {NOT_PAPERS}")
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ParseError("the document is empty")
    try:
        kind = _kind(text)
        if kind == "json":
            try:
                return _parse_json(text)
            except ParseError as error:
                return _text_or(text, error)  # "[Re] A title…": a dump may start with "["
        if kind.startswith("html"):
            try:
                return parse_html(text).papers
            except ParseError as error:
                html_error = ParseError(f"the HTML {NOT_PAPERS}: {error}")
                if kind == "html":
                    raise html_error from None
                return _text_or(text, html_error)
        return _text_or(text, ParseError(f"the document {NOT_PAPERS}"))
    except RecursionError:
        raise ParseError(f"the document is nested too deeply: it {NOT_PAPERS}") from None


def _text_or(text: str, error: ParseError) -> list[Paper]:
    """The papers of ``text`` read as a dump, else ``error`` (the likelier kind's)."""
    try:
        return parse_text_dump(text)
    except ParseError:
        raise error from None


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        if b"\x00" in data[:8192]:
            raise ParseError(f"{name}: is a binary file, not a papers page, text dump or API answer")
        text = data.decode("utf-8-sig", errors="replace")
    sample = text[:8192]
    bad = sum(1 for ch in sample if ch == "\ufffd" or (ch < " " and ch not in "\t\n\r\f"))
    if sample and bad > len(sample) // 10:
        raise ParseError(f"{name}: is a binary file, not a papers page, text dump or API answer")
    return text


def read_paper_file(path: str | PathLike[str]) -> list[Paper]:
    """Papers from a saved file of any supported kind; ``ParseError`` naming the file."""
    file = Path(path)
    name = clean_text(str(path), limit=SHORT_MAX)  # shown on a terminal: no escapes
    try:
        if not file.exists():
            raise ParseError(f"{name}: no such file")
        if file.is_dir():
            raise ParseError(f"{name}: is a directory, not a file")
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ParseError(f"{name}: is too large ({size // (1024 * 1024)} MB) for a papers page")
        with file.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ParseError(f"{name}: cannot be read ({error.strerror or type(error).__name__})") from None
    except ValueError as error:  # e.g. a NUL in the path
        raise ParseError(f"{name}: cannot be read ({error})") from None
    if len(data) > MAX_FILE_BYTES:
        raise ParseError(f"{name}: is too large for a papers page")
    if not data.strip():
        raise ParseError(f"{name}: is empty")
    text = _decode(data, name)
    try:
        return parse_document(text)
    except ParseError as error:
        raise ParseError(f"{name}: {error}") from None
