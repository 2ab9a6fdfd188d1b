"""Auto-detection of the document kind, and reading files with clear errors."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from reader.sources.detect import NOT_PAPERS, parse_document, read_paper_file
from reader.model.errors import ParseError, ReaderError

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("api-real-item.json", 1),
        ("api-daily-2025-03-18.json", 5),
        ("api-search-alignment.json", 3),
        ("api-paper-2503.14476.json", 1),
        ("html-daily-2025-03-18.html", 5),
        ("html-search-alignment.html", 3),
        ("html-paper-2503.14476.html", 1),
        ("html-cards-only.html", 5),
        ("text-search-alignment.txt", 31),
        ("text-variants.txt", 5),
        ("text-sparse-header.txt", 3),
    ],
)
def test_every_fixture(name: str, count: int) -> None:
    assert len(parse_document(fixture(name))) == count
    assert len(read_paper_file(FIXTURES / name)) == count
    assert len(read_paper_file(str(FIXTURES / name))) == count


def test_kinds_agree() -> None:
    api = parse_document(fixture("api-daily-2025-03-18.json"))
    page = parse_document(fixture("html-daily-2025-03-18.html"))
    assert api == page
    [from_text] = [p for p in parse_document(fixture("text-search-alignment.txt")) if p.title == "Alignment for Honesty"]
    [from_api] = [p for p in parse_document(fixture("api-search-alignment.json")) if p.title == "Alignment for Honesty"]
    assert from_text.title_key == from_api.title_key
    assert from_text.code_url == from_api.code_url


def test_leading_whitespace_and_bom() -> None:
    text = "\ufeff\n\n  " + fixture("api-daily-2025-03-18.json")
    assert len(parse_document(text)) == 5
    assert len(parse_document("\n" + fixture("html-daily-2025-03-18.html"))) == 5


def test_html_fragment_without_doctype() -> None:
    text = fixture("html-daily-2025-03-18.html")
    body = text[text.index("<div class=\"flex min-h-dvh") :]
    assert len(parse_document(body)) == 5


def test_text_dump_starting_with_a_bracket() -> None:
    text = "[Re] Reproducing Scaling Laws\n\nWe reproduce the scaling laws.\n\n  • 2 authors\n·\nDec 3, 2023 4\n"
    [paper] = parse_document(text)
    assert paper.title == "[Re] Reproducing Scaling Laws" and paper.upvotes == 4


def test_empty_array_is_no_papers_not_an_error() -> None:
    assert parse_document("[]") == []


@pytest.mark.parametrize(
    "text",
    [
        "hello world",
        "Lorem ipsum dolor sit amet.\n\nConsectetur adipiscing elit.",
        "{}",
        '{"error": "Invalid date"}',
        "[1, 2, 3]",
        '"just a string"',
        "{broken json",
        "[" * 100_000,
        "<html><body><p>Something went wrong, please reload.</p></body></html>",
        "<div>not papers</div>",
        "\x00\x01\x02",
        "   \n\t ",
    ],
)
def test_not_papers(text: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse_document(text)
    message = str(raised.value)
    assert "\n" not in message
    assert NOT_PAPERS in message or "empty" in message or "JSON" in message


def test_message_wording() -> None:
    with pytest.raises(ParseError, match="is not a Hugging Face papers page, text dump or API answer"):
        parse_document("hello world")


def test_non_text() -> None:
    with pytest.raises(ParseError):
        parse_document(None)  # type: ignore[arg-type]


# -- files -----------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.html"
    with pytest.raises(ParseError, match="nope.html: no such file"):
        read_paper_file(path)


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="is a directory"):
        read_paper_file(tmp_path)


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads everything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.json"
    path.write_text("[]")
    path.chmod(0)
    with pytest.raises(ParseError, match="secret.json: cannot be read"):
        read_paper_file(path)


def test_unreadable_file_via_oserror(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.json"
    path.write_text("[]")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(ParseError, match=r"locked.json: cannot be read \(Permission denied\)"):
        read_paper_file(path)


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(ParseError, match="empty.txt: .*empty"):
        read_paper_file(path)


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        b"\x1f\x8b\x08\x00" + bytes(range(256)),
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
        bytes(range(128, 256)) * 20,
    ],
)
def test_binary_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(content)
    with pytest.raises(ParseError, match="image.png: is a binary file"):
        read_paper_file(path)


def test_bom_and_bad_bytes(tmp_path: Path) -> None:
    data = fixture("api-real-item.json").replace("Marco Garosi", "Marco Gar\udcffosi")
    raw = b"\xef\xbb\xbf" + data.encode("utf-8", errors="surrogateescape")
    path = tmp_path / "item.json"
    path.write_bytes(raw)
    [paper] = read_paper_file(path)
    assert paper.authors[0] == "Marco Gar\ufffdosi"


def test_utf16_file(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    path.write_text(fixture("text-variants.txt"), encoding="utf-16")
    assert len(read_paper_file(path)) == 5


def test_crlf_file(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    path.write_bytes(fixture("text-search-alignment.txt").replace("\n", "\r\n").encode())
    assert len(read_paper_file(path)) == 31


def test_unrecognised_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("shopping list\n\nmilk, eggs\n")
    with pytest.raises(ParseError) as raised:
        read_paper_file(path)
    assert str(raised.value) == f"{path}: the document {NOT_PAPERS}"
    assert isinstance(raised.value, ReaderError)


def test_wrong_json_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"name": "not a paper", "version": 3}))
    with pytest.raises(ParseError, match=r"config.json: the JSON is not a Hugging Face papers page"):
        read_paper_file(path)


def test_too_large_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.sources.detect as detect

    monkeypatch.setattr(detect, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "huge.json"
    path.write_text("[" + " " * 2000 + "]")
    with pytest.raises(ParseError, match="huge.json: is too large"):
        read_paper_file(path)


def test_dump_whose_abstract_mentions_html() -> None:
    text = (
        "Daily Papers\n\nWeb Agents Read Pages\n\nAgents parse <html> and <!DOCTYPE html> documents.\n\n"
        "  • 2 authors\n·\nDec 3, 2023\n"
    )
    [paper] = parse_document(text)
    assert paper.abstract == "Agents parse <html> and <!DOCTYPE html> documents."
