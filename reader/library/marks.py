"""Every paper's read and bookmark marks, in memory for the UI and written in the background.

The UI reads and changes marks on every key press, so they live in memory (a
:class:`~reader.library.mark_records.MarkBook`) and a writer thread saves them within a
fraction of a second. Each write happens under the data dir's lock and merges what is on
disk first, so two readers running at once lose nothing. While a screen watches
(:meth:`Marks.watch`), the writer also looks at the file every second and takes in what
another reader wrote, so every open reader shows the marks as they are.

A write that fails is retried every second and said once (:attr:`Marks.save_error`); at
close, marks that still could not be written are kept aside (:mod:`~reader.library.unsaved`)
and the close says where, after waiting no more than a couple of seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from reader.model import Paper, StoreError
from reader.library.damaged import keep_damaged_copy, read_or_set_aside
from reader.library.keys import key_of, title_key_of
from reader.library.mark_records import UNMARKED, Mark, MarkBook, MarkRecord, Tally
from reader.library.notices import Warnings
from reader.library.storage import (
    DamagedFileError,
    DirLock,
    Fingerprint,
    atomic_write,
    doc_json,
    file_fingerprint,
    read_tables_file,
    tables_bytes,
)
from reader.library.timestamps import utc_iso
from reader.library.unsaved import write_aside

if TYPE_CHECKING:
    from reader.library.sync import MarkSync

MARKS_TABLE = "marks"

WRITE_DELAY = 0.25
"""Seconds the writer waits after a change so a burst of key presses makes one write."""
RETRY_DELAY = 1.0
WATCH_INTERVAL = 1.0
"""Seconds between two looks at the state file while a screen watches it."""
PASS_CHUNK = 2000
"""Papers looked up per hold of the marks' lock (~2 ms)."""
CLOSE_WAIT = 1.0
"""Seconds a close waits for the lock before it keeps the unsaved marks aside."""


class Marks:
    """The marks of ``state.json``: read and changed in memory, saved by a writer thread.

    Thread-safe. ``io_lock`` allows one write at a time in this process; it is taken before
    the data dir's lock, and the merge lock (one reading of the file at a time) after it.
    ``require_open`` raises when the store is not open yet.
    """

    def __init__(self, path: Path, dirlock: DirLock, warnings: Warnings, require_open: Callable[[], None]) -> None:
        self.path = path
        self.io_lock = threading.Lock()
        self._dirlock = dirlock
        self._warnings = warnings
        self._require_open = require_open
        self._mem_lock = threading.Lock()  # guards the in-memory marks; held for microseconds
        self._merge_lock = threading.Lock()  # one merge of the file into memory at a time
        self._book = MarkBook()
        self._gen = 0
        self._saved_gen = 0
        self._dirty: dict[str, int] = {}  # key -> generation of a change not yet written
        self._merged_version = 0  # bumped when marks read from disk changed something
        self._watching = False
        self.save_error: str | None = None
        """Why the last write failed, while the marks are not saved; ``None`` once they are."""
        self._marks_version = 0  # bumped when any paper's read or bookmark state changes
        self._last_ts = 0.0
        self._state_fp: Fingerprint | None = None
        self._rec_cache: dict[str, tuple[MarkRecord, str]] = {}  # the writer's, under io_lock
        self._writer: threading.Thread | None = None
        self._writer_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._closed = False
        self._last_error = ""
        self.sync: MarkSync | None = None  # other machines' marks, when a sync folder is set
        self.visit_start = time.time()
        """When this visit began: a paper first seen since then still shows as new."""
        self._last_visit: float | None = None

    def mark(self, paper: Paper) -> Mark:
        """The paper's marks, found by its key or else by its title."""
        with self._mem_lock:
            rec, rekeyed = self._book.find(paper)
            if rekeyed:
                self._gen += 1
        if rekeyed:
            self._changed()
        if rec is None:
            return UNMARKED
        mark = rec.mark()
        mark.new = not rec.seen_ts or rec.seen_ts >= self.visit_start
        return mark

    def see(self, papers: Sequence[Paper]) -> int:
        """Note that ``papers``' rows are on screen: those never seen stop being new (from
        the next visit on). Returns how many were seen for the first time."""
        self._require_open()
        fresh = 0
        with self._mem_lock:
            now = 0.0
            for paper in papers:
                rec, _ = self._book.find(paper)
                if rec is not None and rec.seen_ts:
                    continue
                if rec is None:
                    rec = MarkRecord(key_of(paper), title_key_of(paper))
                now = now or max(time.time(), self.visit_start)
                rec = replace(rec, seen_ts=now)
                self._book.put(rec)  # written with the next write, but never kept aside:
                fresh += 1  # a sighting lost to a full disk costs nothing
            if fresh:
                self._gen += 1
        if fresh:
            self._changed()
        return fresh

    def last_visit(self) -> float | None:
        """When a paper's row was last first seen before this visit (``None``: never)."""
        if self._last_visit is None:
            with self._mem_lock:
                times = [r.seen_ts for r in self._book.recs.values() if 0 < r.seen_ts < self.visit_start]
            self._last_visit = max(times, default=0.0)
        return self._last_visit or None

    def set_read(self, paper: Paper, value: bool) -> Mark:
        return self._set(paper, "read", value)

    def set_bookmarked(self, paper: Paper, value: bool) -> Mark:
        return self._set(paper, "bookmarked", value)

    def toggle_read(self, paper: Paper) -> Mark:
        return self._set(paper, "read", None)

    def toggle_bookmarked(self, paper: Paper) -> Mark:
        return self._set(paper, "bookmarked", None)

    @property
    def marks_version(self) -> int:
        """Changes whenever a read or bookmark state changes, here or merged from disk."""
        return self._marks_version

    @property
    def merged_version(self) -> int:
        """Changes whenever marks another process wrote changed a mark here."""
        return self._merged_version

    @property
    def unsaved(self) -> bool:
        """Whether marks changed here are not yet written."""
        return bool(self._dirty)

    def watch(self) -> None:
        """Look at the state file every :data:`WATCH_INTERVAL` seconds from now on and take
        in what other readers wrote (see :attr:`merged_version`)."""
        if not self._watching:
            self._watching = True
            self._wake.set()  # a writer already waiting for a change starts looking too
        self._start_writer()

    def counts(self, papers: Sequence[Paper]) -> tuple[int, int]:
        """(unread, bookmarked) among ``papers``."""
        unread, bookmarked, _, _ = self.tally(papers)
        return unread, bookmarked

    def tally(self, papers: Sequence[Paper]) -> Tally:
        """The unread, bookmarked and new papers among ``papers``, in one pass."""
        version, start = self._marks_version, self.visit_start
        read = bookmarked = new = 0
        for _, recs in self._records_by_chunk(papers):
            for rec in recs:
                if rec is None:
                    new += 1
                    continue
                read += rec.read
                bookmarked += rec.bookmarked
                new += not rec.seen_ts or rec.seen_ts >= start
        if self._marks_version != version:
            version = -1
        return Tally(len(papers) - read, bookmarked, new, version)

    def mark_flags(self, papers: Sequence[Paper]) -> tuple[bytearray, bytearray]:
        """One byte per paper (1: yes) saying whether it is read, and whether bookmarked."""
        read = bytearray(len(papers))
        bookmarked = bytearray(len(papers))
        for at, recs in self._records_by_chunk(papers):
            for i, rec in enumerate(recs, at):
                if rec is not None:
                    read[i] = rec.read
                    bookmarked[i] = rec.bookmarked
        return read, bookmarked

    def new_flags(self, papers: Sequence[Paper]) -> bytearray:
        """One byte per paper (1: yes) saying whether it shows as new this visit, as
        ``mark(paper).new`` would, read in one pass for the index's ``is:new``."""
        new = bytearray(len(papers))
        start = self.visit_start
        for at, recs in self._records_by_chunk(papers):
            for i, rec in enumerate(recs, at):
                new[i] = rec is None or not rec.seen_ts or rec.seen_ts >= start
        return new

    def _records_by_chunk(self, papers: Sequence[Paper]) -> Iterator[tuple[int, list[MarkRecord | None]]]:
        """Each chunk's first position and its papers' records, found ``PASS_CHUNK``
        papers at a time under the marks' lock: a pass over a long list in a worker
        (~30 ms at 50,000) never keeps the screen's rows from their marks for longer than
        a chunk."""
        rekeyed = False
        for at in range(0, len(papers), PASS_CHUNK):
            chunk = papers[at:at + PASS_CHUNK]
            recs: list[MarkRecord | None] = []
            with self._mem_lock:
                find = self._book.find
                moved_here = False
                for paper in chunk:
                    rec, moved = find(paper)
                    moved_here |= moved
                    recs.append(rec)
                if moved_here:
                    self._gen += 1
                    rekeyed = True
            yield at, recs
        if rekeyed:
            self._changed()

    def _set(self, paper: Paper, field: str, value: bool | None) -> Mark:
        self._require_open()
        if value is None:
            self.refresh()  # a toggle means the opposite of what is on disk now
        with self._mem_lock:
            rec, dirty = self._book.find(paper)
            if rec is None:
                rec = MarkRecord(key_of(paper), title_key_of(paper))
            current = getattr(rec, field)
            new = (not current) if value is None else bool(value)
            if new != current:
                ts = self._last_ts = max(time.time(), self._last_ts + 1e-6)
                rec = replace(
                    rec, **{field: new, f"{field}_at": utc_iso(ts) if new else None, f"{field}_ts": ts}
                )
                self._book.put(rec)
                self._marks_version += 1
                self._dirty[rec.key] = self._gen + 1
                dirty = True
            if dirty:
                self._gen += 1
        if dirty:
            self._changed()
        return rec.mark()

    # writing

    def flush(self) -> None:
        """Write pending marks now; raises :class:`StoreError` when they cannot be written."""
        self._require_open()
        try:
            self._write()
        except OSError as exc:
            raise StoreError(f"cannot save marks to {self.path}: {exc.strerror or exc}") from None

    def stop_writer(self) -> None:
        """Stop the writer thread; from now on a change is written at once (see :meth:`flush`)."""
        self._closed = True
        self._stop.set()
        self._wake.set()
        writer = self._writer
        if writer is not None and writer is not threading.current_thread():
            writer.join(timeout=CLOSE_WAIT)  # a writer waiting on the lock gives up at once
        self._writer = None

    def close(self) -> list[str]:
        """Stop the writer and write what is pending, waiting no more than about
        :data:`CLOSE_WAIT` seconds for the lock. Returns nothing when every mark is saved,
        else one line saying which marks are not and where they were kept instead."""
        self.stop_writer()
        try:
            self._write(CLOSE_WAIT)
        except (OSError, StoreError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            with self._mem_lock:
                recs = [rec for rec in map(self._dirty_rec, sorted(self._dirty)) if rec is not None]
            if recs:
                return [write_aside(self.path.parent, recs, reason)]
        return []

    def _dirty_rec(self, key: str) -> MarkRecord | None:
        """The mark changed under ``key``, even when it has moved to its paper's id since."""
        rec = self._book.recs.get(key)
        if rec is None:
            keys = [k for k in self._book.by_title.get(key, ()) if k in self._book.recs]
            rec = self._book.recs[min(keys)] if keys else None
        return rec

    def _changed(self) -> None:
        if self._closed:
            self.flush()
            return
        self._wake.set()
        self._start_writer()

    def _start_writer(self) -> None:
        if self._writer is None:
            with self._writer_lock:
                if self._writer is None and not self._stop.is_set():
                    self._writer = threading.Thread(
                        target=self._write_loop, name="paper-reader-store", daemon=True
                    )
                    self._writer.start()

    def _write_loop(self) -> None:
        while not self._stop.is_set():
            if not self._wake.wait(WATCH_INTERVAL if self._watching else None):
                self._look()
                continue
            if self._stop.wait(WRITE_DELAY):
                return  # the store's close() writes what is left
            self._wake.clear()
            try:
                self._write(cancel=self._stop)
            except Exception as exc:  # keep the marks and retry; the UI shows the warning
                if self._stop.is_set():
                    return
                self._failed(exc)
                self._wake.set()
                self._stop.wait(RETRY_DELAY)
            else:
                self._saved()

    def _look(self) -> None:
        try:
            self.refresh()
        except Exception:  # noqa: BLE001 - a look that fails is retried at the next one
            pass

    def _failed(self, exc: Exception) -> None:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        self.save_error = reason
        message = f"marks not saved ({reason}); retrying every second"
        if message != self._last_error:
            self._last_error = message
            self._warnings.add(message)

    def _saved(self) -> None:
        if self.save_error is not None and not self._dirty:
            self.save_error = None
            self._last_error = ""
            self._warnings.add(f"marks saved to {self.path}")

    def _write(self, lock_timeout: float | None = None, cancel: threading.Event | None = None) -> None:
        if self._gen == self._saved_gen:
            return
        if not self.io_lock.acquire(timeout=-1 if lock_timeout is None else lock_timeout):
            raise StoreError("another write of the marks did not finish")
        try:
            with self._dirlock.held(lock_timeout, cancel):
                if self._gen == self._saved_gen:
                    return  # another thread wrote it while we waited
                self.merge_from_disk()
                with self._mem_lock:
                    gen = self._gen
                    recs = list(self._book.recs.values())
                payload = tables_bytes({MARKS_TABLE: [self._rec_json(r) for r in recs]})
                self._state_fp = atomic_write(self.path, payload)
                self._saved_gen = gen
                if self.sync is not None:
                    self.sync.publish(recs)
                with self._mem_lock:
                    self._dirty = {key: g for key, g in self._dirty.items() if g > gen}
                if len(self._rec_cache) > 2 * len(recs):
                    self._rec_cache = {r.key: self._rec_cache[r.key] for r in recs if r.key in self._rec_cache}
        finally:
            self.io_lock.release()

    def _rec_json(self, rec: MarkRecord) -> str:
        """A mark's JSON, reused while the mark is unchanged: a write re-serialises only
        the marks that changed, so it costs little CPU however many marks there are."""
        cached = self._rec_cache.get(rec.key)
        if cached is not None and cached[0] is rec:
            return cached[1]
        text = doc_json(rec.to_doc())
        self._rec_cache[rec.key] = (rec, text)
        return text

    # reading

    def reload(self) -> int:
        """Take in marks another process wrote; returns how many papers' marks changed."""
        self._require_open()
        with self.io_lock, self._dirlock.held():
            return len(self.merge_from_disk())

    def refresh(self) -> int:
        """Take in marks another process wrote, without waiting for the data dir's lock (a
        file is only ever replaced whole); returns how many papers' marks changed. A damaged
        file is left for the next write, which sets it aside under the lock."""
        self._require_open()
        return len(self._merge(locked=False))

    def merge_from_disk(self) -> set[str]:
        """Merge the state file into memory if it changed since we last saw it; returns the
        keys whose marks changed (caller holds ``io_lock`` and the dir lock). Other
        machines' marks in the sync folder are merged too."""
        synced = self._merge_synced()
        return self._merge(locked=True) | synced

    def _merge(self, locked: bool) -> set[str]:
        with self._merge_lock:
            fp = file_fingerprint(self.path)
            if fp is not None and fp == self._state_fp:
                return set()
            if locked:
                tables, fp = read_or_set_aside(self.path, self._warnings)
            else:
                try:
                    tables, fp = read_tables_file(self.path)
                except (DamagedFileError, StoreError):
                    return set()
            recs, bad = [], 0
            for doc in tables.get(MARKS_TABLE, {}).values():
                rec = MarkRecord.from_doc(doc)
                if rec is None:
                    bad += 1
                else:
                    recs.append(rec)
            if bad and locked:
                keep_damaged_copy(self.path, bad, self._warnings)
            with self._mem_lock:
                known = dict(self._book.recs)
            news = [rec for rec in recs if known.get(rec.key) != rec]  # compared outside the lock
            with self._mem_lock:
                changed = self._book.absorb(news)
                if changed:
                    self._marks_version += 1
                    self._merged_version += 1
            # Only once what it holds is in memory: a write that finds this file unchanged
            # skips reading it. A file with bad entries is read again under the lock.
            if locked or not bad:
                self._state_fp = fp
            return changed

    def _merge_synced(self) -> set[str]:
        """Take in the sync folder's changed files; what changed is written here (and to
        this machine's sync file) with the next write."""
        if self.sync is None:
            return set()
        incoming = self.sync.incoming()
        with self._mem_lock:
            changed = self._book.absorb(incoming) if incoming else set()
            if changed:
                self._marks_version += 1
                self._merged_version += 1
            if changed or not self.sync.published:
                self._gen += 1
        return changed
