"""What the likeness model learns from, as (key, title, abstract): from papers in hand, or
read from the Store's library batch by batch (never all of it in memory at once)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from reader.model import Paper
from reader.similar.learning import Text

if TYPE_CHECKING:
    from reader.library import Store


def texts_of(papers: Iterable[Paper]) -> Iterator[Text]:
    for paper in papers:
        yield paper.key, paper.title, paper.abstract


def library_texts(store: Store) -> Iterator[Text]:
    """The whole library of an open ``store``, month by month."""
    for batch in store.iter_library():
        yield from texts_of(batch)
