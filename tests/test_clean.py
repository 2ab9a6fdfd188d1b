"""clean_text and safe_url: the hostile-text defence every parser relies on."""

from __future__ import annotations

import unicodedata

import pytest

from reader.sources.clean import (
    ABSTRACT_MAX,
    ELLIPSIS,
    NAME_MAX,
    TITLE_MAX,
    URL_MAX,
    clean_optional,
    clean_text,
    safe_url,
    strip_escapes,
    truncate,
)

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


def assert_safe(text: str, *, multiline: bool = False) -> None:
    for ch in text:
        if ch == "\n" and multiline:
            continue
        assert unicodedata.category(ch) not in ("Cc", "Cf", "Cs"), repr(ch)
    assert "\x1b" not in text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\x1b[31mred\x1b[0m text", "red text"),
        ("\x1b[1;38;5;196mbold\x1b[m", "bold"),
        ("a\x1b]52;c;aGk=\x07b", "ab"),  # OSC 52 clipboard write, BEL-terminated
        ("a\x1b]52;c;aGk=\x1b\\b", "ab"),  # ... ST-terminated
        ("\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"),  # OSC 8 hyperlink
        ("\x1b]0;new window title\x07title", "title"),
        ("x\x1bPq#0;2;0;0;0\x1b\\y", "xy"),  # DCS (sixel)
        ("x\x1b_hidden apc\x1b\\y", "xy"),
        ("\x1bcreset", "reset"),  # RIS
        ("\x1b(Bcharset", "charset"),
        ("\x9b31mC1 csi", "C1 csi"),
        ("nul\x00byte", "nulbyte"),
        ("bell\x07 and \x08back", "bell and back"),
        ("c1\x85\x90\x9c\x9fchars", "c1 chars"),  # NEL is a line break, others dropped
        ("tab\there", "tab here"),
        ("many    spaces \u00a0 and\u3000wide", "many spaces and wide"),
        ("  padded  ", "padded"),
        ("line\nbreaks\r\nand\rreturns", "line breaks and returns"),
    ],
)
def test_single_line(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_unterminated_osc_loses_its_introducer() -> None:
    out = clean_text("safe\x1b]52;c;aGk=")
    assert "\x1b" not in out and out.startswith("safe")


def test_bidi_and_zero_width_removed() -> None:
    raw = "".join(f"{ch}x" for ch in BIDI + ZERO_WIDTH)
    assert clean_text(raw) == "x" * len(BIDI + ZERO_WIDTH)
    assert clean_text("admin\u202egnp.exe") == "admingnp.exe"


def test_surrogates_and_noncharacters_removed() -> None:
    assert clean_text("a\ud800b\udfffc\ufffed\U0010ffff") == "abcd"


def test_zalgo_is_capped() -> None:
    out = clean_text("Z" + "\u0301" * 200 + "a")
    assert out.startswith("Z") and out.endswith("a") and len(out) <= 8


def test_accents_and_scripts_kept() -> None:
    for text in ("Café naïve Zoë", "Łukasz Kaiser", "张三", "محمد", "Δx ≥ ∑ αᵢ", "🤗 Hugging Face"):
        assert clean_text(text) == text


def test_markup_is_kept_literally() -> None:
    for text in ("[bold]x[/]", "[link=https://evil]click[/link]", "<script>alert(1)</script>", "<b>&amp;</b>"):
        assert clean_text(text) == text
        assert clean_text(text, multiline=True) == text


def test_multiline_keeps_paragraphs() -> None:
    raw = "First  line\t with tab \r\nsecond\n\n\n\n\nlast \x1b[2J\u202e "
    assert clean_text(raw, multiline=True) == "First line with tab\nsecond\n\nlast"
    assert clean_text("a\u2028b\u2029c", multiline=True) == "a\nb\nc"


def test_default_limits() -> None:
    assert len(clean_text("x" * 10_000)) == TITLE_MAX
    assert clean_text("x" * 10_000).endswith(ELLIPSIS)
    assert len(clean_text("y" * 100_000, multiline=True)) == ABSTRACT_MAX
    assert len(clean_text("z" * 1000, limit=NAME_MAX)) == NAME_MAX
    assert clean_text("short", limit=NAME_MAX) == "short"


def test_megabyte_title_is_capped_quickly() -> None:
    out = clean_text("\x1b[31m" + "A" * 1_000_000 + "\x1b[0m")
    assert len(out) == TITLE_MAX and out.endswith(ELLIPSIS)
    out = clean_text("\x1b]52;c;" + "Q" * 1_000_000 + "\x07", multiline=True)
    assert_safe(out, multiline=True)
    assert len(out) <= ABSTRACT_MAX


def test_truncate() -> None:
    assert truncate("abcdef", 4) == "abc" + ELLIPSIS
    assert truncate("ab  cdef", 4) == "ab" + ELLIPSIS
    assert truncate("abc", 3) == "abc"
    assert truncate("abc", 0) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ""), (True, ""), (42, "42"), (2.5, "2.5"), ([1, 2], ""), ({"a": 1}, ""), (b"bytes\xff", "bytes\ufffd")],
)
def test_non_strings(value: object, expected: str) -> None:
    assert clean_text(value) == expected


def test_clean_optional() -> None:
    assert clean_optional("  ") is None
    assert clean_optional(None) is None
    assert clean_optional(" x ") == "x"


def test_strip_escapes_leaves_plain_text_alone() -> None:
    text = "plain [bold] text"
    assert strip_escapes(text) is text


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/GAIR-NLP/alignment-for-honesty",
        "http://example.com",
        "https://fywalter.github.io/nudging/",
        "HTTPS://EXAMPLE.COM/Path?q=1#frag",
        "https://example.com:8443/x",
        "https://[::1]/",
        "https://en.wikipedia.org/wiki/Foo_(bar)",
        "  https://padded.example/  ",
    ],
)
def test_safe_url_accepts(url: str) -> None:
    assert safe_url(url) == url.strip()


@pytest.mark.parametrize(
    "url",
    [
        None,
        42,
        ["https://x.y"],
        "",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.com/x",
        "vbscript:msgbox",
        "//example.com/path",
        "example.com",
        "https:example.com",
        "http:///nohost",
        "https://",
        "https://exa mple.com",
        "https://example.com/\x1b[31m",
        "https://example.com/\nInjected",
        "https://example.com/\u202e",
        "https://example.com/\x00",
        "https://github.com@evil.example/",
        "https://user:pass@example.com/",
        "https://evil.example\\@github.com",
        "https://example.com:99999/",
        "https://example.com:port/",
        "https://" + "a" * URL_MAX + ".com",
        "https://../x",
    ],
)
def test_safe_url_rejects(url: object) -> None:
    assert safe_url(url) is None


def test_characters_of_no_agreed_width_are_dropped() -> None:
    from reader.sources.clean import without_unsized

    odd = "a\u3164b\u115fc\u1160d\uffa0e\u2764\ufe0f f\ufe0eg\U000e0100h\U0001f44d\U0001f3fdi\u180bj"
    assert clean_text(odd) == "abcde\u2764 fgh\U0001f44dij"
    assert clean_text("\U0001f468\u200d\U0001f469\u200d\U0001f467") == "\U0001f468\U0001f469\U0001f467"
    assert without_unsized(odd + "\u200d\u200b") == "abcde\u2764 fgh\U0001f44dij"
    assert without_unsized("plain ascii") == "plain ascii"
    assert clean_text("\u3164 \u3164 Real title \u3164") == "Real title"
