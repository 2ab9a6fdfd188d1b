"""What cites a paper on the Hub: its models, datasets and Spaces, from ``/api/papers/{id}``.

The answer carries a short preview of each kind (``linkedModels`` …) and the true totals
(``numTotalModels`` …); the totals are what the reader counts, the preview is what it
lists, best first. Every id is a stranger's text bound for the terminal and for a URL:
cleaned like a title for the one, percent-quoted for the other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from reader.model import ParseError
from reader.sources.clean import NAME_MAX, clean_text
from reader.sources.parse_api import count

HUB = "https://huggingface.co"
KINDS = ("model", "dataset", "space")
_PREVIEW_KEY = {"model": "linkedModels", "dataset": "linkedDatasets", "space": "linkedSpaces"}
_TOTAL_KEY = {"model": "numTotalModels", "dataset": "numTotalDatasets", "space": "numTotalSpaces"}
_HUB_PATH = {"model": "", "dataset": "datasets/", "space": "spaces/"}
_NAMES = {"model": ("model", "models"), "dataset": ("dataset", "datasets"), "space": ("Space", "Spaces")}
PREVIEW_MAX = 50  # items kept of each kind: more than any pane shows


@dataclass(frozen=True, slots=True)
class Artefact:
    """One model, dataset or Space that cites the paper."""

    kind: str
    id: str
    likes: int = 0
    downloads: int | None = None
    detail: str = ""  # a model's task, a Space's SDK

    @property
    def url(self) -> str:
        return f"{HUB}/{_HUB_PATH[self.kind]}{quote(self.id, safe='/')}"

    def describe(self) -> str:
        """The id with what makes it worth opening: downloads, likes, task."""
        parts = [self.id]
        if self.downloads:
            parts.append(f"↓{_short(self.downloads)}")
        if self.likes:
            parts.append(f"♥{_short(self.likes)}")
        if self.detail:
            parts.append(self.detail)
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Artefacts:
    """A paper's artefacts: the previews, best first, and each kind's true total."""

    models: tuple[Artefact, ...] = ()
    datasets: tuple[Artefact, ...] = ()
    spaces: tuple[Artefact, ...] = ()
    total_models: int = 0
    total_datasets: int = 0
    total_spaces: int = 0

    def of(self, kind: str) -> tuple[Artefact, ...]:
        return {"model": self.models, "dataset": self.datasets, "space": self.spaces}[kind]

    def total(self, kind: str) -> int:
        return {"model": self.total_models, "dataset": self.total_datasets, "space": self.total_spaces}[kind]

    @property
    def counts(self) -> tuple[int, int, int]:
        return self.total_models, self.total_datasets, self.total_spaces

    @property
    def any(self) -> bool:
        return any(self.counts)

    def summary(self) -> str:
        """"3 models · 1 dataset · 2 Spaces"; the kinds with none left out."""
        return counts_summary(self.counts)

    def to_json(self) -> str:
        """The form kept in the library (read back by ``artefacts_from_json``)."""
        return json.dumps({
            "totals": list(self.counts),
            "items": [[a.kind, a.id, a.likes, a.downloads, a.detail] for kind in KINDS for a in self.of(kind)],
        }, ensure_ascii=False)


def counts_summary(counts: tuple[int, int, int]) -> str:
    parts = [f"{n:,} {_NAMES[kind][n != 1]}" for kind, n in zip(KINDS, counts) if n]
    return " · ".join(parts) if parts else "no models, datasets or Spaces"


def parse_artefacts(data: Any) -> Artefacts:
    """The artefacts in a ``/api/papers/{id}`` answer. Items that are not objects with an
    id are skipped; a total missing, wrong-typed or below its preview's length is the
    preview's length (the site never lists more than it counts)."""
    if not isinstance(data, dict):
        raise ParseError(f"expected a paper object, got {type(data).__name__}")
    previews: dict[str, tuple[Artefact, ...]] = {}
    totals: dict[str, int] = {}
    for kind in KINDS:
        items = data.get(_PREVIEW_KEY[kind])
        found = [a for a in map(lambda item: _artefact(kind, item), items if isinstance(items, list) else []) if a]
        found = _unique(found)
        previews[kind] = tuple(sorted(found, key=_best_first)[:PREVIEW_MAX])
        totals[kind] = max(count(data.get(_TOTAL_KEY[kind])) or 0, len(found))
    return Artefacts(previews["model"], previews["dataset"], previews["space"],
                     totals["model"], totals["dataset"], totals["space"])


def artefacts_from_json(text: str) -> Artefacts:
    """What ``Artefacts.to_json`` kept; a damaged copy raises ``ParseError``."""
    try:
        data = json.loads(text)
        totals = [count(n) or 0 for n in data["totals"]][:3]
        items = [_artefact(kind, {"id": id_, "likes": likes, "downloads": downloads, "detail": detail})
                 for kind, id_, likes, downloads, detail in data["items"] if kind in KINDS]
    except (ValueError, KeyError, TypeError, RecursionError) as error:
        raise ParseError(f"kept artefacts unreadable ({type(error).__name__})") from None
    by_kind = {kind: tuple(a for a in items if a is not None and a.kind == kind) for kind in KINDS}
    totals += [0] * (3 - len(totals))
    return Artefacts(by_kind["model"], by_kind["dataset"], by_kind["space"], *totals)


def _artefact(kind: str, item: Any) -> Artefact | None:
    if not isinstance(item, dict):
        return None
    ident = clean_text(item.get("id"), limit=NAME_MAX)
    if not ident:
        return None
    detail = item.get("detail") or item.get("pipeline_tag") or item.get("sdk")
    return Artefact(kind, ident, count(item.get("likes")) or 0, count(item.get("downloads")),
                    clean_text(detail, limit=40))


def _unique(items: list[Artefact]) -> list[Artefact]:
    seen: set[str] = set()
    return [a for a in items if not (a.id in seen or seen.add(a.id))]  # type: ignore[func-returns-value]


def _best_first(artefact: Artefact) -> tuple[int, int, str]:
    return -(artefact.downloads or 0), -artefact.likes, artefact.id


def _short(n: int) -> str:
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= size:
            return f"{n / size:.1f}".rstrip("0").rstrip(".") + suffix
    return str(n)
