"""Code and project links found in abstracts and API fields."""

from __future__ import annotations

import pytest

from reader.sources.links import find_urls, is_code_host, pick_links


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Code is released at https://github.com/Francis-Rings/ILA .", ["https://github.com/Francis-Rings/ILA"]),
        ("available at https://anonymous.4open.science/r/I-SHEEP.", ["https://anonymous.4open.science/r/I-SHEEP"]),
        ("(see https://x.y/z).", ["https://x.y/z"]),
        ("at https://github.com/GAIR-NLP/alignment-for-honesty, including", ["https://github.com/GAIR-NLP/alignment-for-honesty"]),
        ("website: https://fywalter.github.io/nudging/ .", ["https://fywalter.github.io/nudging/"]),
        ("at https://github.com/BradyFU/Awesome-Multimodal-Large-Language-Models/tree/Alignment.",
         ["https://github.com/BradyFU/Awesome-Multimodal-Large-Language-Models/tree/Alignment"]),
        ("see [repo](https://github.com/a/b)!", ["https://github.com/a/b"]),
        ("wiki https://en.wikipedia.org/wiki/Foo_(bar); ok", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
        ('quoted "https://q.example/a" and \'https://q.example/b\'', ["https://q.example/a", "https://q.example/b"]),
        ("<https://angle.example/x>", ["https://angle.example/x"]),
        ("two https://a.example/1?, https://b.example/2!", ["https://a.example/1", "https://b.example/2"]),
        ("dupes https://a.example/ https://a.example/", ["https://a.example/"]),
        ("代码：https://github.com/x/y。谢谢", ["https://github.com/x/y"]),
        ("HTTPS://GITHUB.COM/UP/CASE", ["HTTPS://GITHUB.COM/UP/CASE"]),
        ("no links here, just github.com/x/y and www.example.com", []),
        ("javascript:alert(1) file:///etc/passwd data:text/html,x", []),
        ("https://github.com@evil.example/x", []),
        ("bare https:// scheme", []),
    ],
)
def test_find_urls(text: str, expected: list[str]) -> None:
    assert find_urls(text) == expected


def test_find_urls_non_text() -> None:
    assert find_urls(None) == []  # type: ignore[arg-type]
    assert find_urls(123) == []  # type: ignore[arg-type]


def test_find_urls_escape_in_url_stops_it() -> None:
    assert find_urls("https://github.com/a/b\x1b[31m") == []


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/GAIR-NLP/alignment-for-honesty",
        "https://www.github.com/x/y",
        "https://gist.github.com/x/1",
        "https://gitlab.com/x/y",
        "https://bitbucket.org/x/y",
        "https://codeberg.org/x/y",
        "https://anonymous.4open.science/r/I-SHEEP",
        "https://huggingface.co/spaces/user/demo",
        "https://sourceforge.net/projects/x",
        "https://git.tu-berlin.de/group/repo",
        "https://gitlab.inria.fr/team/repo",
        "https://gitee.com/x/y",
    ],
)
def test_code_hosts(url: str) -> None:
    assert is_code_host(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://fywalter.github.io/nudging/",
        "https://github.io/",
        "https://team.gitlab.io/page",
        "https://huggingface.co/papers/2312.07000",
        "https://huggingface.co/datasets/x/y",
        "https://arxiv.org/abs/2312.07000",
        "https://budgetbench.org/leaderboard",
        "https://githubusercontent.example/x",
        "https://notgithub.com/x",
        "javascript:alert('github.com')",
        "file:///github.com/x",
        "",
    ],
)
def test_not_code_hosts(url: str) -> None:
    assert not is_code_host(url)


def test_pick_links_prefers_fields() -> None:
    abstract = "Code: https://github.com/other/repo. Page: https://other.github.io/."
    assert pick_links(abstract, "https://github.com/a/b", "https://a.github.io/") == (
        "https://github.com/a/b",
        "https://a.github.io/",
    )


def test_pick_links_from_abstract() -> None:
    abstract = "See https://proj.github.io/x (demo) and code https://github.com/a/b, data https://data.example/."
    assert pick_links(abstract) == ("https://github.com/a/b", "https://proj.github.io/x")


def test_pick_links_nothing() -> None:
    assert pick_links("") == (None, None)
    assert pick_links(None) == (None, None)


def test_pick_links_rejects_unsafe_fields() -> None:
    code, project = pick_links("code https://github.com/ok/repo", "javascript:alert(1)", "file:///etc/passwd")
    assert code == "https://github.com/ok/repo"
    assert project is None


def test_pick_links_code_host_project_page_is_code_too() -> None:
    assert pick_links("", None, "https://github.com/a/b") == ("https://github.com/a/b", "https://github.com/a/b")
