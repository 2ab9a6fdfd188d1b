"""Saved lists: each list as it was last fetched (a day, a week, trending…), for reopening
it offline, kept in ``listings.json``."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.model import Paper
from reader.library.damaged import Warnings, keep_damaged_copy, read_or_set_aside
from reader.library.paper_docs import paper_from_doc, paper_record
from reader.library.storage import Fingerprint, atomic_write, doc_json, file_fingerprint, tables_bytes
from reader.library.timestamps import utc_iso

LISTINGS_TABLE = "listings"
MAX_LISTINGS = 120
"""Saved listings kept (newest fetched first): each holds full records, so this bounds the file."""


@dataclass(slots=True)
class SavedListing:
    """A list as it was fetched, for reopening it offline."""

    name: str
    fetched_at: str
    papers: list[Paper]


class SavedLists:
    """The saved lists by name, each held as checked records until it is reopened.

    ``lock`` is the library's: the library saves the list it was given under the same lock.
    ``require_open`` raises when the store is not open yet.
    """

    def __init__(self, path: Path, lock: threading.RLock, warnings: Warnings, require_open: Callable[[], None]) -> None:
        self.path = path
        self._lock = lock
        self._warnings = warnings
        self._require_open = require_open
        self._listings: dict[str, tuple[str, list[dict[str, Any]]]] = {}
        self._fp: Fingerprint | None = None

    def get(self, name: str) -> SavedListing | None:
        """The list saved under ``name`` (``day:2025-03-18``, ``trending``…), if any."""
        self._require_open()
        with self._lock:
            entry = self._listings.get(name)
        if entry is None:
            return None
        papers = [found[2] for found in map(paper_from_doc, entry[1]) if found is not None]
        return SavedListing(name, entry[0], papers)

    def latest(self, prefix: str) -> SavedListing | None:
        """The saved list with the greatest name starting with ``prefix`` (dates sort in time)."""
        self._require_open()
        with self._lock:
            names = [name for name in self._listings if name.startswith(prefix)]
        return self.get(max(names)) if names else None

    def names(self) -> list[str]:
        with self._lock:
            return sorted(self._listings)

    def merge_from_disk(self) -> None:
        """Take in the file if it changed since we last saw it; the newer fetch of a list wins
        (caller holds the library lock and the dir lock)."""
        fp = file_fingerprint(self.path)
        if fp is not None and fp == self._fp:
            return
        tables, fp = read_or_set_aside(self.path, self._warnings)
        bad = 0
        for doc in tables.get(LISTINGS_TABLE, {}).values():
            name, at, papers = doc.get("name"), doc.get("fetched_at"), doc.get("papers")
            if not (isinstance(name, str) and isinstance(at, str) and isinstance(papers, list)):
                bad += 1
                continue
            # checked as the library's papers are; built into papers only when reopened
            records = [p for p in papers if isinstance(p, dict) and paper_from_doc(p) is not None]
            bad += len(papers) - len(records)
            current = self._listings.get(name)
            if current is None or at > current[0]:
                self._listings[name] = (at, records)
        if bad:
            keep_damaged_copy(self.path, bad, self._warnings)
        self._fp = fp

    def save(self, name: str, papers: list[Paper]) -> None:
        """Save ``papers`` as the list ``name``, fetched now, keeping the newest
        :data:`MAX_LISTINGS` lists (caller holds the library lock and the dir lock)."""
        self.merge_from_disk()
        self._listings[name] = (utc_iso(time.time(), micro=True), [paper_record(p) for p in papers])
        if len(self._listings) > MAX_LISTINGS:
            newest = sorted(self._listings.items(), key=lambda kv: kv[1][0], reverse=True)
            self._listings = dict(newest[:MAX_LISTINGS])
        docs = [
            doc_json({"name": n, "fetched_at": at, "papers": recs}) for n, (at, recs) in self._listings.items()
        ]
        payload = tables_bytes({LISTINGS_TABLE: docs})
        self._fp = atomic_write(self.path, payload)
