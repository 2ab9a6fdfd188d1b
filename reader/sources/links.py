"""Code and project links: from the API's fields, else from URLs written in the abstract.

Abstracts write URLs loosely (``https://github.com/x/y .``, ``(see https://x.y/z).``),
so a found URL is trimmed of trailing punctuation and unbalanced closing brackets. Only
URLs that pass ``safe_url`` are ever returned: a ``javascript:`` link never becomes a
link the user can open.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple
from urllib.parse import urlsplit

from reader.model import Paper
from reader.sources.clean import safe_url

# Stop at whitespace, quotes that cannot be in a URL, angle brackets and CJK punctuation.
_URL = re.compile(r"""https?://[^\s<>"`{}|^\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]+""", re.IGNORECASE)
_TRAILING = ".,;:!?'*_~…"
_CLOSERS = {")": "(", "]": "[", "}": "{"}

_CODE_HOSTS = frozenset(
    {
        "github.com",
        "gist.github.com",
        "gitlab.com",
        "bitbucket.org",
        "codeberg.org",
        "anonymous.4open.science",
        "sourceforge.net",
        "gitee.com",
        "gitea.com",
        "sr.ht",
        "git.sr.ht",
        "framagit.org",
        "salsa.debian.org",
    }
)
_SPACES_HOSTS = frozenset({"huggingface.co", "hf.co"})
_PAGE_SUFFIXES = (".github.io", ".gitlab.io", ".sourceforge.io", ".pages.dev", ".codeberg.page")


def _trim(url: str) -> str:
    """Drop trailing punctuation and closing brackets that do not close one in the URL."""
    opened = {closer: url.count(opener) for closer, opener in _CLOSERS.items()}
    closed = {closer: url.count(closer) for closer in _CLOSERS}
    end = len(url)
    while end:
        last = url[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last in _CLOSERS and closed[last] > opened[last]:
            closed[last] -= 1
            end -= 1
        else:
            break
    return url[:end]


def find_urls(text: str) -> list[str]:
    """Every safe http(s) URL written in ``text``, trimmed, in order, without repeats."""
    if not isinstance(text, str):
        return []
    found: dict[str, None] = {}  # ordered, without repeats
    for match in _URL.finditer(text):
        url = safe_url(_trim(match.group(0)))
        if url:
            found[url] = None
    return list(found)


def _host(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    host = host.rstrip(".")
    return host[4:] if host.startswith("www.") else host


def is_code_host(url: str) -> bool:
    """Whether ``url`` points at a code host (a repository), not a project page.

    ``*.github.io`` and similar static-site hosts are project pages; Hugging Face counts
    only for Spaces.
    """
    if not isinstance(url, str) or safe_url(url) is None:
        return False
    host = _host(url)
    if not host or host.endswith(_PAGE_SUFFIXES) or host in ("github.io", "gitlab.io"):
        return False
    if host in _CODE_HOSTS or host.endswith(".sourceforge.net"):
        return True
    if host in _SPACES_HOSTS:
        return urlsplit(url).path.startswith("/spaces/")
    first = host.split(".", 1)[0]
    return first in ("git", "gitlab", "gitea", "forgejo") and "." in host


def pick_links(
    abstract: str | None, github_repo: str | None = None, project_page: str | None = None
) -> tuple[str | None, str | None]:
    """``(code_url, project_url)`` for a paper.

    Code: ``githubRepo``, else the first code-host link in the abstract, else a
    ``projectPage`` that is itself a code host. Project page: ``projectPage``, else the
    first non-code link in the abstract.
    """
    code = safe_url(github_repo)
    project = safe_url(project_page)
    urls = find_urls(abstract or "")
    if code is None:
        code = next((u for u in urls if is_code_host(u)), None)
    if code is None and project is not None and is_code_host(project):
        code = project
    if project is None:
        project = next((u for u in urls if not is_code_host(u)), None)
    return code, project


class PaperLink(NamedTuple):
    """One link of a paper, as the links view lists it: what it is, and where it goes."""

    label: str
    url: str


def paper_links(paper: Paper, more: Iterable[PaperLink] = ()) -> list[PaperLink]:
    """Every link of ``paper``, in the order the links view numbers them: its Hugging Face
    page, arXiv abstract and PDF, code, project page, then ``more`` (links found elsewhere,
    such as the Hub pages of what cites the paper).

    Only http(s) links that pass ``safe_url`` are kept, each URL once.
    """
    candidates: list[PaperLink] = [PaperLink("Hugging Face page", paper.hf_url)]
    if paper.arxiv_id:
        candidates.append(PaperLink("arXiv abstract", f"https://arxiv.org/abs/{paper.arxiv_id}"))
        candidates.append(PaperLink("PDF", f"https://arxiv.org/pdf/{paper.arxiv_id}"))
    if paper.code_url:
        candidates.append(PaperLink("code", paper.code_url))
    if paper.project_url:
        candidates.append(PaperLink("project page", paper.project_url))
    candidates.extend(more)
    links: list[PaperLink] = []
    seen: set[str] = set()
    for link in candidates:
        url = safe_url(link.url)
        if url is not None and url not in seen:
            seen.add(url)
            links.append(PaperLink(link.label, url))
    return links
