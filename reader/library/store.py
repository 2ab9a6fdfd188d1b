"""The user's data dir as one object: its marks, saved lists and library, opened together.

The parts do the work and are handed out as ``marks`` (:mod:`~reader.library.marks`),
``saved_lists`` (:mod:`~reader.library.saved_lists`), ``papers``, the library
(:mod:`~reader.library.paper_table`, in ``library.sqlite3``) and ``artefacts``, the Hub's
answers about them (:mod:`~reader.library.artefact_table`, in the same file). The store holds what they share: the data dir's lock that
every write takes (so two readers at once lose nothing), the warnings, the open/close
lifecycle. Locks are taken in one order: the marks' ``io_lock``, the library lock (library
and saved lists), the data dir's lock, the marks' memory lock.
"""

from __future__ import annotations

import atexit
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from reader.model import Paper, StoreError
from reader.library.data_dir import DATABASE_FILE, LIBRARY_DIR, LISTINGS_FILE, STATE_FILE
from reader.library.notices import Warnings
from reader.library.storage import DirLock, file_fingerprint, fingerprint_with_log, remove_stale_temps

if TYPE_CHECKING:
    from reader.library.artefact_table import ArtefactTable
    from reader.library.mark_records import Mark, Tally
    from reader.library.marks import Marks
    from reader.library.paper_table import PaperTable
    from reader.library.saved_lists import SavedListing, SavedLists


class _Parts(NamedTuple):
    marks: Marks
    saved_lists: SavedLists
    papers: PaperTable


class Store:
    """The data dir: marks, saved listings and the library. Thread-safe; see the module doc."""

    def __init__(self, data_dir: Path, sync_folder: Path | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.sync_folder = Path(sync_folder).expanduser() if sync_folder is not None else None
        self._dirlock = DirLock(self.data_dir)
        self._lib_lock = threading.RLock()  # guards the library and the saved lists
        self._warnings = Warnings()
        self._parts_lock = threading.Lock()
        self._open_lock = threading.Lock()
        self._parts: _Parts | None = None
        self._artefacts: ArtefactTable | None = None
        self.state_path, self.listings_path = self.data_dir / STATE_FILE, self.data_dir / LISTINGS_FILE
        self.database_path = self.data_dir / DATABASE_FILE
        self.library_dir = self.data_dir / LIBRARY_DIR  # older readers' month files, moved in on open
        self._opened = False
        self._closed = False

    # The parts, made (and their modules imported) on first use: a start that paints its
    # first screen from the first-screen file needs only the artefacts' table (for the row
    # marks) before the first frame.

    @property
    def marks(self) -> Marks:
        return (self._parts or self._make_parts()).marks

    @property
    def saved_lists(self) -> SavedLists:
        return (self._parts or self._make_parts()).saved_lists

    @property
    def papers(self) -> PaperTable:
        return (self._parts or self._make_parts()).papers

    @property
    def artefacts(self) -> ArtefactTable:
        if self._artefacts is None:
            from reader.library.artefact_table import ArtefactTable

            with self._parts_lock:
                if self._artefacts is None:
                    self._artefacts = ArtefactTable(self.data_dir, lambda: self.is_open)
        return self._artefacts

    @property
    def mark(self) -> Callable[[Paper], Mark]:
        """The marks' own ``mark``: exports call it once a paper, with no delegating call between."""
        return self.marks.mark

    def _make_parts(self) -> _Parts:
        """The parts, made once however many threads ask at the same moment."""
        from reader.library.marks import Marks
        from reader.library.paper_table import PaperTable
        from reader.library.saved_lists import SavedLists

        with self._parts_lock:
            if self._parts is None:
                marks = Marks(self.state_path, self._dirlock, self._warnings, self._require_open)
                saved_lists = SavedLists(
                    self.listings_path, self._lib_lock, self._warnings, self._require_open,
                    lambda keys, shards: self.papers.papers_for(keys, shards),
                )
                papers = PaperTable(
                    self.data_dir, self._dirlock, self._lib_lock, self._warnings, saved_lists, self._require_open
                )
                self._parts = _Parts(marks, saved_lists, papers)
            return self._parts

    # lifecycle

    def open(self) -> list[str]:
        """Load marks and saved listings; returns one-line warnings about files set aside.
        Opened by one thread while another asks too (the screen's worker and a key that
        needs the marks), the other waits for it and finds the store open.

        Raises :class:`StoreError` when the dir cannot be used or a file is from a newer
        paper-reader (nothing is changed then).
        """
        with self._open_lock:
            return self._open()

    def _open(self) -> list[str]:
        if self._opened:
            return self.take_warnings()
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=self.data_dir):
                pass  # proves the dir is writable before anything depends on it
            self._start_sync()
            with self.marks.io_lock, self._lib_lock, self._dirlock.held():
                remove_stale_temps(self.data_dir)
                self.marks.merge_from_disk()
                self.saved_lists.merge_from_disk()
                self.papers.open()
                self._opened = True  # the import below writes through the open store
                from reader.library.month_import import import_month_files  # opened after the first frame

                try:
                    import_month_files(self.papers, self.data_dir, self._warnings)
                except BaseException:
                    self._opened = False
                    raise
        except OSError as exc:
            raise StoreError(f"cannot use data dir {self.data_dir}: {exc.strerror or exc}") from None
        atexit.register(self._close_at_exit)
        if self.saved_lists.legacy:  # an old file: its lists become keys into the library, once
            self.papers.adopt_legacy()
        return self.take_warnings()

    def _start_sync(self) -> None:
        """Share marks through the sync folder, unless it would hold the data dir itself."""
        if self.sync_folder is None:
            return
        from reader.library.sync import MarkSync, inside

        if inside(self.data_dir, self.sync_folder):
            self._warnings.add(
                f"sync is off: the sync folder {self.sync_folder} holds the data dir; "
                "point it at a folder of its own"
            )
            return
        self.marks.sync = MarkSync(self.sync_folder, self.data_dir, self._warnings)

    @property
    def syncing(self) -> bool:
        """Whether marks are shared through a sync folder (then worth polling)."""
        return self.marks.sync is not None

    @property
    def is_open(self) -> bool:
        return self._opened and not self._closed

    def files_fingerprint(self) -> list[Any]:
        """The marks file and the library's database as they are on disk now, from ``stat``
        alone (no store needs to be open): equal fingerprints mean the files were not changed."""
        database, log = fingerprint_with_log(self.database_path)
        return [
            [self.state_path.name, list(file_fingerprint(self.state_path) or ())],
            [self.database_path.name, list(database or ()), list(log or ())],
        ]

    def warn(self, message: str) -> None:
        """Add a one-line warning for the user (shown with the store's own)."""
        self._warnings.add(message)

    def take_warnings(self) -> list[str]:
        """Warnings since the last call (a damaged shard found later, a failing write)."""
        return self._warnings.take()

    def flush(self) -> None:
        """Write pending marks now; raises :class:`StoreError` when they cannot be written."""
        self.marks.flush()

    def close(self) -> list[str]:
        """Stop the writer thread and write what is pending, waiting a second at most for
        the lock; safe to call twice. Returns one line per problem: marks that could not be
        saved, where they were kept instead, and files found damaged meanwhile."""
        if not self._opened or self._closed:
            return []
        self._closed = True
        atexit.unregister(self._close_at_exit)
        messages = self.marks.close()
        self.artefacts.close()
        self.papers.close()
        return messages + self.take_warnings()

    def __enter__(self) -> Store:
        """Opens the store; the warnings stay for :meth:`take_warnings`."""
        self._warnings.put_back(self.open())
        return self

    def __exit__(self, *exc: object) -> None:
        self._warnings.put_back(self.close())

    def _close_at_exit(self) -> None:
        for message in self.close():
            print(f"paper-reader: {message}", file=sys.stderr)

    def _require_open(self) -> None:
        if not self._opened:
            raise RuntimeError("Store.open() has not been called")

    # the parts' methods, as callers have always used them

    def set_read(self, paper: Paper, value: bool) -> Mark:
        return self.marks.set_read(paper, value)

    def set_bookmarked(self, paper: Paper, value: bool) -> Mark:
        return self.marks.set_bookmarked(paper, value)

    def toggle_read(self, paper: Paper) -> Mark:
        return self.marks.toggle_read(paper)

    def toggle_bookmarked(self, paper: Paper) -> Mark:
        return self.marks.toggle_bookmarked(paper)

    def see(self, papers: Sequence[Paper]) -> int:
        return self.marks.see(papers)

    @property
    def marks_version(self) -> int:
        return self.marks.marks_version

    def counts(self, papers: Sequence[Paper]) -> tuple[int, int]:
        return self.marks.counts(papers)

    def tally(self, papers: Sequence[Paper]) -> Tally:
        return self.marks.tally(papers)

    def mark_flags(self, papers: Sequence[Paper]) -> tuple[bytearray, bytearray]:
        return self.marks.mark_flags(papers)

    def new_flags(self, papers: Sequence[Paper]) -> bytearray:
        return self.marks.new_flags(papers)

    def reload_marks(self) -> int:
        return self.marks.reload()

    def saved_listing(self, name: str) -> SavedListing | None:
        return self.saved_lists.get(name)

    def latest_listing(self, prefix: str) -> SavedListing | None:
        return self.saved_lists.latest(prefix)

    def listing_names(self) -> list[str]:
        return self.saved_lists.names()

    def add_papers(self, papers: list[Paper], listing: str | None = None) -> list[Paper]:
        return self.papers.add_papers(papers, listing)

    def iter_library(self) -> Iterator[list[Paper]]:
        return self.papers.iter_library()

    def library(self) -> list[Paper]:
        return self.papers.library()
