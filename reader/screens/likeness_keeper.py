"""The reading screen's likeness model, taught the lists the reader shows one learning at a
time in the screen's workers, and where an answer's papers are found."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.worker import get_current_worker

from reader.library import Store
from reader.model import Paper, ReaderError

if TYPE_CHECKING:
    from reader.similar import Likeness
    from reader.similar import Text as PaperText

BUSY_WAIT = 0.2  # seconds between looks at whether the search index is built


class LikenessKeeper:
    """The reading screen's likeness model: taught each list shown (the whole library, or
    a fetched list that joined it), one learning at a time, in ``screen``'s workers."""

    def __init__(self, screen: Screen[None], store: Store, busy: Callable[[], bool] = lambda: False) -> None:
        self._screen = screen
        self._store = store
        self._busy = busy  # while True (the search index is being built) learning waits
        self._model: Likeness | None = None
        self._model_lock = threading.Lock()
        self.error: str | None = None
        self._library: Sequence[Paper] | None = None
        self._pending: list[tuple[Callable[[], Iterable[PaperText]], bool]] = []  # (texts, complete)
        self._lock = threading.Lock()
        self._running = False
        self._whole_library_asked = False

    @property
    def model(self) -> Likeness:
        """The model, opened on first use: nothing of it is on the way to the first frame."""
        with self._model_lock:
            if self._model is None:
                from reader.similar import Likeness

                self._model = Likeness(self._store.data_dir)
            return self._model

    def learn(self, papers: Sequence[Paper], *, whole_library: bool) -> None:
        """Teach the model ``papers`` (``whole_library``: all of it, so papers gone from it
        are forgotten and the list is kept to find answers in). The first other list of a
        session is followed by the whole library read from the store, so that papers
        fetched without the reader (``export``) are known too."""
        with self._lock:
            if whole_library:
                self._library = papers
                self._pending = [job for job in self._pending if not job[1]]
            self._pending.append((lambda: _texts_of(papers), whole_library))
            if not whole_library and not self._whole_library_asked:
                self._pending.append((self._stored_library, True))
            self._whole_library_asked = True
            if self._running:
                return
            self._running = True
        self._screen.run_worker(
            self._learn_pending, name="learn_likeness", group="likeness",
            description="learn the library's words", thread=True,
        )

    def _learn_pending(self) -> None:
        worker = get_current_worker()
        while self._busy() and not worker.is_cancelled:
            time.sleep(BUSY_WAIT)  # search comes first: the index is what a keystroke waits on
        while True:
            with self._lock:
                if not self._pending or worker.is_cancelled:
                    self._running = False
                    return
                texts, whole = self._pending.pop(0)
            try:
                self.model.learn(texts(), complete=whole, cancelled=lambda: worker.is_cancelled)
            except ReaderError as error:
                self.error = str(error)
                with self._lock:
                    self._pending.clear()
                    self._running = False
                self._screen.app.call_from_thread(self._screen.notify, self.error, severity="warning", timeout=8)
                return

    def _stored_library(self) -> Iterable[PaperText]:
        from reader.similar import library_texts

        return library_texts(self._store) if self._store.is_open else ()

    @property
    def state(self) -> str | None:
        """Why a question cannot be answered yet (None: it can)."""
        if self.error is not None:
            return f"More like this is unavailable: {self.error}"
        try:
            if self.model.ready:
                return None
        except ReaderError as error:
            return f"More like this is unavailable: {error}"
        read = self.model.papers_read
        if self.model.building or self._running:
            counted = f" ({read:,} papers read so far)" if read else ""
            return f"Still learning the library's words{counted}; the list appears here when done."
        return "Still learning the library's words: the list appears here once the library has loaded."

    def find(self, keys: Iterable[str], shown: Sequence[Paper]) -> dict[str, Paper]:
        """The papers of ``keys``, looked for in the list shown, then in the library."""
        return find_papers(keys, self._lists(shown))

    def _lists(self, shown: Sequence[Paper]) -> Iterator[Sequence[Paper]]:
        yield shown
        if self._library is not None:
            yield self._library
        elif self._store.is_open:
            yield from self._store.iter_library()

    def rank(self, papers: Sequence[Paper]) -> list[Paper]:
        """``papers`` in the "for you" order: most like the bookmarked papers first."""
        from reader.similar import for_you

        library = self._library
        return for_you(self.model, lambda: library if library is not None else papers, self._store)(papers)


def _texts_of(papers: Sequence[Paper]) -> Iterable[PaperText]:
    from reader.similar import texts_of

    return texts_of(papers)


def find_papers(keys: Iterable[str], lists: Iterable[Sequence[Paper]]) -> dict[str, Paper]:
    """The papers of ``keys`` among ``lists``, read in turn until all are found."""
    wanted = set(keys)
    ids = {key.removeprefix("arxiv:") for key in wanted if key.startswith("arxiv:")}
    found: dict[str, Paper] = {}
    for papers in lists:
        for paper in papers:
            # The id alone is compared first: making every paper's key costs more.
            if paper.arxiv_id is not None and paper.arxiv_id not in ids:
                continue
            key = paper.key
            if key in wanted and key not in found:
                found[key] = paper
        if len(found) == len(wanted):
            break
    return found
