"""Saved lists: each list as it was last fetched (a day, a week, trending…), for reopening
it offline, kept in ``listings.json``.

A saved list refers to the library's papers: its keys in order, each with the month shard
the paper was filed in, so reopening a day's list reads that month, not the whole library,
and a list of 10,000 papers costs its keys, not 10,000 copies of their records. Files from
before this kept whole records; their lists are read as they were (``legacy``) until the
library takes their papers in (``Shards.adopt_legacy``) and they are written as keys.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.model import Paper
from reader.library.damaged import keep_damaged_copy, read_or_set_aside
from reader.library.notices import Warnings
from reader.library.paper_docs import paper_from_doc
from reader.library.storage import Fingerprint, atomic_write, doc_json, file_fingerprint, tables_bytes
from reader.library.timestamps import utc_iso

LISTINGS_TABLE = "listings"

Entries = tuple[list[str], list[str]]
"""A list's papers: their library keys in order and, for each, the shard it is filed in."""
Resolve = Callable[[Sequence[str], Sequence[str]], list[Paper]]
"""The library's papers for (keys, shards), in that order, leaving out keys it lacks."""


@dataclass(slots=True)
class SavedListing:
    """A list as it was fetched, for reopening it offline."""

    name: str
    fetched_at: str
    papers: list[Paper]


def _is_entries(keys: Any, shards: Any) -> bool:
    return isinstance(keys, list) and isinstance(shards, list) and len(keys) == len(shards)


class SavedLists:
    """The saved lists by name, held as their keys; papers come from the library (``resolve``).

    ``lock`` is the library's: the library saves the list it was given under the same lock.
    ``require_open`` raises when the store is not open yet.
    """

    def __init__(
        self, path: Path, lock: threading.RLock, warnings: Warnings, require_open: Callable[[], None],
        resolve: Resolve,
    ) -> None:
        self.path = path
        self._lock = lock
        self._warnings = warnings
        self._require_open = require_open
        self._resolve = resolve
        self._listings: dict[str, tuple[str, Entries]] = {}
        # Lists from an old file, as whole checked records, until the library takes them in.
        self.legacy: dict[str, tuple[str, list[dict[str, Any]]]] = {}
        self._fp: Fingerprint | None = None

    def get(self, name: str) -> SavedListing | None:
        """The list saved under ``name`` (``day:2025-03-18``, ``trending``…), if any."""
        self._require_open()
        with self._lock:
            entry = self._listings.get(name)
            old = self.legacy.get(name) if entry is None else None
        if old is not None:
            papers = [found[2] for found in map(paper_from_doc, old[1]) if found is not None]
            return SavedListing(name, old[0], papers)
        if entry is None:
            return None
        at, (keys, shards) = entry
        return SavedListing(name, at, self._resolve(keys, shards))

    def latest(self, prefix: str) -> SavedListing | None:
        """The saved list with the greatest name starting with ``prefix`` (dates sort in time)."""
        self._require_open()
        with self._lock:
            names = [name for name in (*self._listings, *self.legacy) if name.startswith(prefix)]
        return self.get(max(names)) if names else None

    def names(self) -> list[str]:
        with self._lock:
            return sorted({*self._listings, *self.legacy})

    def merge_from_disk(self) -> None:
        """Take in the file if it changed since we last saw it; the newer fetch of a list wins
        (caller holds the library lock and the dir lock)."""
        fp = file_fingerprint(self.path)
        if fp is not None and fp == self._fp:
            return
        tables, fp = read_or_set_aside(self.path, self._warnings)
        bad = 0
        for doc in tables.get(LISTINGS_TABLE, {}).values():
            name, at = doc.get("name"), doc.get("fetched_at")
            keys, shards, papers = doc.get("keys"), doc.get("shards"), doc.get("papers")
            if not (isinstance(name, str) and isinstance(at, str)):
                bad += 1
                continue
            if _is_entries(keys, shards):
                pairs = [(k, s) for k, s in zip(keys, shards) if isinstance(k, str) and isinstance(s, str)]
                bad += len(keys) - len(pairs)
                self._take(name, at, ([k for k, _ in pairs], [sys.intern(s) for _, s in pairs]))
            elif isinstance(papers, list):  # an old file: whole records, checked as the library's are
                records = [p for p in papers if isinstance(p, dict) and paper_from_doc(p) is not None]
                bad += len(papers) - len(records)
                current = self._listings.get(name)
                if (current is None or at > current[0]) and (name not in self.legacy or at > self.legacy[name][0]):
                    self.legacy[name] = (at, records)
            else:
                bad += 1
        if bad:
            keep_damaged_copy(self.path, bad, self._warnings)
        self._fp = fp

    def _take(self, name: str, at: str, entries: Entries) -> None:
        current = self._listings.get(name)
        if current is None or at > current[0]:
            self._listings[name] = (at, entries)
            old = self.legacy.get(name)
            if old is not None and old[0] <= at:
                del self.legacy[name]

    def save(self, name: str, keys: list[str], shards: list[str], *, fetched_at: str | None = None) -> None:
        """Save the list ``name`` as the library's papers ``keys`` (filed in ``shards``),
        fetched now (caller holds the library lock and the dir lock)."""
        self.save_many({name: (fetched_at or utc_iso(time.time(), micro=True), (keys, shards))})

    def stage(self, name: str, entry: tuple[str, Entries]) -> None:
        """Hold ``entry`` as the list ``name`` for the next write (caller holds the library lock)."""
        self._listings[name] = entry

    def save_many(self, lists: dict[str, tuple[str, Entries]]) -> None:
        """Save several lists in one write (caller holds the library lock and the dir lock)."""
        self.merge_from_disk()
        for name, (at, entries) in lists.items():
            self._listings[name] = (at, entries)
            self.legacy.pop(name, None)
        docs = [
            doc_json({"name": n, "fetched_at": at, "keys": keys, "shards": shards})
            for n, (at, (keys, shards)) in self._listings.items()
        ]
        docs += [doc_json({"name": n, "fetched_at": at, "papers": recs}) for n, (at, recs) in self.legacy.items()]
        self._fp = atomic_write(self.path, tables_bytes({LISTINGS_TABLE: docs}))
