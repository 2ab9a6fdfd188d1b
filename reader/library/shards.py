"""The library: every paper ever seen, in one file a month (``library/YYYY-MM.json``).

Sharded by month so a write touches a few megabytes, not the whole library. A paper is
filed in the month it was published (``undated`` when it has none) and moves when a newer
copy says otherwise; one already filed under its title is found again once its arXiv id
is known.
"""

from __future__ import annotations

import contextlib
import gc
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from reader.model import Paper, StoreError
from reader.library.damaged import Warnings, keep_damaged_copy, read_or_set_aside
from reader.library.data_dir import LIBRARY_DIR
from reader.library.keys import TITLE_PREFIX, key_of, title_key_of
from reader.library.paper_docs import clone_paper, merge_papers, paper_from_doc, paper_record
from reader.library.saved_lists import SavedLists
from reader.library.storage import (
    AtomicJSONStorage,
    DamagedFileError,
    DirLock,
    Fingerprint,
    atomic_write,
    doc_json,
    file_fingerprint,
    read_tables,
    tables_bytes,
)

UNDATED = "undated"
PAPERS_TABLE = "papers"

_SHARD_NAME = re.compile(r"\d{4}-(0[1-9]|1[0-2])|" + UNDATED)
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def shard_of(published: str | None) -> str:
    """The library file a paper lives in: the month it was published, else ``undated``."""
    match = _MONTH.match(published or "")
    return match.group(0) if match else UNDATED


def newest_first(names: Iterable[str]) -> list[str]:
    """Shard names newest month first, ``undated`` last."""
    names = set(names)
    return sorted(names - {UNDATED}, reverse=True) + ([UNDATED] if UNDATED in names else [])


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Hold off the cyclic GC while building thousands of papers at once.

    Each automatic collection rescans every object already alive, which doubles the time
    to load a big library; the pause lasts one load.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Library:
    """The loaded shards and, once every shard is loaded, an index of where each paper is."""

    def __init__(self) -> None:
        self.shards: dict[str, dict[str, Paper]] = {}
        self.fps: dict[str, Fingerprint | None] = {}
        self.tkeys: dict[str, str] = {}  # key -> title key, for every loaded paper
        self.where: dict[str, str] = {}
        self.by_title: dict[str, set[str]] = {}
        self.stale = True

    def reindex(self) -> set[str]:
        """Rebuild the index; drop copies a crash mid-move left behind.

        Returns the shards copies were dropped from: they need rewriting.
        """
        self.where, self.by_title = {}, {}
        dropped: dict[str, dict[str, Paper]] = {}
        for name in newest_first(self.shards):
            for key in list(self.shards[name]):
                other = self.where.get(key)
                if other is not None:  # the copy in the shard its date says wins
                    loser = name if shard_of(self.shards[other][key].published) == other else other
                    self.where[key] = other if loser == name else name
                    dropped.setdefault(loser, {})[key] = self.shards[loser].pop(key)
                else:
                    self.where[key] = name
        for key in self.where:
            self.by_title.setdefault(self.tkeys[key], set()).add(key)
        for keys in self.by_title.values():
            if any(not k.startswith(TITLE_PREFIX) for k in keys):
                for key in [k for k in keys if k.startswith(TITLE_PREFIX)]:
                    name = self.where.pop(key)
                    dropped.setdefault(name, {})[key] = self.shards[name].pop(key)
                    keys.discard(key)
        self.stale = False
        return set(dropped)

    def find(self, paper: Paper) -> str | None:
        """The library key of ``paper``: its own, or the same title under the other kind of key."""
        key = key_of(paper)
        if key in self.where:
            return key
        keys = self.by_title.get(title_key_of(paper), ())
        if paper.arxiv_id:
            matches = [k for k in keys if k.startswith(TITLE_PREFIX)]
        else:
            matches = sorted(keys)
        return matches[0] if matches else None

    def put(self, name: str, paper: Paper) -> None:
        key, tkey = key_of(paper), title_key_of(paper)
        self.shards.setdefault(name, {})[key] = paper
        self.tkeys[key] = tkey
        self.where[key] = name
        self.by_title.setdefault(tkey, set()).add(key)

    def remove(self, key: str) -> tuple[str, Paper]:
        """Unfile a paper (its title key stays known, for writing a copy until it moved)."""
        name = self.where.pop(key)
        paper = self.shards[name].pop(key)
        tkey = self.tkeys[key]
        keys = self.by_title.get(tkey)
        if keys is not None:
            keys.discard(key)
            if not keys:
                del self.by_title[tkey]
        return name, paper


class Shards:
    """The library's shards, each read once and cached, and the index over them.

    ``lock`` guards the loaded library (and the saved lists, which :meth:`add_papers` saves
    under it); it is taken before the data dir's lock. ``require_open`` raises when the
    store is not open yet.
    """

    def __init__(
        self,
        data_dir: Path,
        dirlock: DirLock,
        lock: threading.RLock,
        warnings: Warnings,
        saved_lists: SavedLists,
        require_open: Callable[[], None],
    ) -> None:
        self.directory = data_dir / LIBRARY_DIR
        self._data_dir = data_dir
        self._dirlock = dirlock
        self._lock = lock
        self._warnings = warnings
        self._saved_lists = saved_lists
        self._require_open = require_open
        self._lib = _Library()
        self._pending: set[str] = set()  # shards changed in memory, not yet on disk

    def files(self) -> list[Path]:
        """The shard files on disk now, by name (from the directory listing alone)."""
        try:
            return sorted(p for p in self.directory.glob("*.json") if _SHARD_NAME.fullmatch(p.stem))
        except OSError:
            return []

    def add_papers(self, papers: list[Paper], listing: str | None = None) -> list[Paper]:
        """Merge papers into the library and save the listing; returns the merged copies.

        Blocking (call it from a worker): the first call in a process loads every shard, so
        a paper is found wherever it was filed; later calls reread only shards another
        process changed and write only the shards that changed.
        """
        self._require_open()
        with self._lock:
            dropped = self._sync_library()  # the slow first load, without blocking other writers
            with self._dirlock.held():
                dropped |= self._sync_library()  # what changed on disk meanwhile
                adopted = bool(self._saved_lists.legacy)
                if adopted:
                    self._adopt_legacy_locked(dropped)
                return self._add_locked(papers, listing, dropped, write_lists=adopted)

    def adopt_legacy(self) -> None:
        """Take the papers of saved lists from an old file into the library where it lacks
        them, and save those lists as keys (once, when an old file is found)."""
        self._require_open()
        with self._lock:
            dropped = self._sync_library()
            with self._dirlock.held():
                dropped |= self._sync_library()
                self._saved_lists.merge_from_disk()
                if not self._saved_lists.legacy:
                    return
                self._adopt_legacy_locked(dropped)
                try:
                    for name in newest_first(self._pending):
                        self._write_shard(name)
                    self._saved_lists.save_many({})
                except OSError as exc:
                    raise StoreError(f"cannot save the library in {self._data_dir}: {exc.strerror or exc}") from None

    def _adopt_legacy_locked(self, dropped: set[str]) -> None:
        """Turn the old file's lists into keys, filing the papers the library lacks; the
        shards that changed are left pending, to be written before the lists are."""
        lists: dict[str, tuple[str, tuple[list[str], list[str]]]] = {}
        added: set[str] = set()
        for name, (at, records) in self._saved_lists.legacy.items():
            keys: list[str] = []
            shards: list[str] = []
            for found in map(paper_from_doc, records):
                if found is None:
                    continue
                paper = found[2]
                key = self._lib.find(paper)
                if key is None:
                    key, shard = key_of(paper), shard_of(paper.published)
                    self._lib.put(shard, paper)
                    added.add(shard)
                keys.append(key)
                shards.append(self._lib.where[key])
            lists[name] = (at, (keys, shards))
        self._pending |= added | dropped
        for name, entry in lists.items():
            self._saved_lists.legacy.pop(name)
            self._saved_lists.stage(name, entry)

    def papers_for(self, keys: Sequence[str], shards: Sequence[str]) -> list[Paper]:
        """Copies of the library's papers ``keys``, in order, reading only the ``shards``
        they were filed in; a paper filed elsewhere since is looked for in the whole
        library, and one the library lacks is left out."""
        self._require_open()
        out: list[Paper] = []
        missing = False
        with self._lock:
            found: list[Paper | None] = []
            for key, name in zip(keys, shards):
                shard = self._lib.shards.get(name)
                if shard is None and self._shard_path(name).exists():
                    shard = self._load_shard(name)
                paper = shard.get(key) if shard is not None else None
                missing |= paper is None
                found.append(paper)
            if missing:
                self._pending |= self._sync_library()
                for i, key in enumerate(keys):
                    if found[i] is None:
                        found[i] = self._moved(key)
            out = [clone_paper(p) for p in found if p is not None]
        return out

    def _moved(self, key: str) -> Paper | None:
        """The paper once filed under ``key``: where it is now, or under its id once a
        title-keyed paper got one."""
        name = self._lib.where.get(key)
        if name is None and key.startswith(TITLE_PREFIX):
            ids = sorted(self._lib.by_title.get(key, ()))
            name, key = (self._lib.where.get(ids[0]), ids[0]) if ids else (None, key)
        return self._lib.shards[name].get(key) if name is not None else None

    def _add_locked(
        self, papers: list[Paper], listing: str | None, dropped: set[str], *, write_lists: bool = False
    ) -> list[Paper]:
        """The merge and the writes of :meth:`add_papers`, under both locks."""
        added: set[str] = set()
        moved_out: dict[str, dict[str, Paper]] = {}
        merged: list[Paper] = []
        for paper in papers:
            old_key = self._lib.find(paper)
            if old_key is None:
                new, old_shard, old = clone_paper(paper), None, None
            else:
                old_shard = self._lib.where[old_key]
                old = self._lib.shards[old_shard][old_key]
                new = merge_papers(old, paper)
            name = shard_of(new.published)
            merged.append(new)
            if old is not None and old_key == key_of(new) and old_shard == name and old == new:
                continue
            if old_key is not None:
                self._lib.remove(old_key)
                if old_shard != name:
                    moved_out.setdefault(old_shard, {})[old_key] = old
            self._lib.put(name, new)
            added.add(name)
        self._pending |= added | set(moved_out) | dropped
        try:
            # New homes first, then the shards papers left: a kill in between leaves a
            # duplicate that the next load drops, never a lost paper.
            for name in newest_first(added):
                self._write_shard(name, extra=moved_out.get(name))
            for name in newest_first(self._pending):
                self._write_shard(name)
            if listing is not None:
                self._saved_lists.save(listing, [key_of(p) for p in merged], [shard_of(p.published) for p in merged])
            elif write_lists:
                self._saved_lists.save_many({})
        except OSError as exc:
            raise StoreError(f"cannot save the library in {self._data_dir}: {exc.strerror or exc}") from None
        return [clone_paper(p) for p in merged]

    def iter_library(self) -> Iterator[list[Paper]]:
        """The library shard by shard, newest month first, each newest paper first.

        Each shard is read once and cached; a paper another process adds later shows after
        this process next adds papers. The papers are the library's own: read, never modify.
        """
        self._require_open()
        seen: set[str] = set()
        id_titles: set[str] = set()
        for name in self._shard_names():
            with self._lock:
                shard = self._lib.shards.get(name)
                if shard is None:
                    shard = self._load_shard(name)
                tkeys = self._lib.tkeys
                keys = [k for k in shard if k not in seen and k not in id_titles]  # a title key is its title
                batch = [shard[k] for k in keys]  # shared, not copied: half the memory at 100,000
                id_titles.update(tkeys[k] for k in keys if not k.startswith(TITLE_PREFIX))
            seen.update(keys)
            if batch:
                batch.sort(key=lambda p: p.title)
                batch.sort(key=lambda p: p.published or "", reverse=True)
                yield batch

    def library(self) -> list[Paper]:
        """Every paper in the library, newest first."""
        return [p for batch in self.iter_library() for p in batch]

    def _shard_names(self) -> list[str]:
        on_disk = {p.stem for p in self.files()}
        with self._lock:
            on_disk |= set(self._lib.shards)
        return newest_first(on_disk)

    def _shard_path(self, name: str) -> Path:
        return self.directory / f"{name}.json"

    def _load_shard(self, name: str) -> dict[str, Paper]:
        """Read one shard into the cache (caller holds the library lock)."""
        path = self._shard_path(name)
        storage = AtomicJSONStorage(path)
        shard: dict[str, Paper] = {}
        bad = 0
        with _gc_paused():
            try:
                tables, fp = read_tables(storage), storage.fingerprint
            except DamagedFileError:
                with self._dirlock.held():  # reread under the lock before moving anything
                    tables, fp = read_or_set_aside(path, self._warnings)
            for doc in tables.get(PAPERS_TABLE, {}).values():
                found = paper_from_doc(doc)
                if found is None:
                    bad += 1
                    continue
                key, tkey, paper = found
                shard[key] = paper
                self._lib.tkeys[key] = tkey
        if bad:
            with self._dirlock.held():
                keep_damaged_copy(path, bad, self._warnings)
        self._lib.shards[name] = shard
        self._lib.fps[name] = fp
        self._lib.stale = True
        return shard

    def _sync_library(self) -> set[str]:
        """Load unloaded shards and reload ones changed on disk (caller holds the library
        lock); returns the shards that need rewriting (see :meth:`_Library.reindex`)."""
        with _gc_paused():
            for name in self._shard_names():
                fp = file_fingerprint(self._shard_path(name))
                if name not in self._lib.shards or (fp is not None and fp != self._lib.fps.get(name)):
                    self._load_shard(name)
            return self._lib.reindex() if self._lib.stale else set()

    def _write_shard(self, name: str, extra: dict[str, Paper] | None = None) -> None:
        papers = dict(self._lib.shards.get(name, {}))
        for key, paper in (extra or {}).items():
            papers.setdefault(key, paper)
        tkeys = self._lib.tkeys
        docs = [doc_json({"key": k, "title_key": tkeys[k], **paper_record(p)}) for k, p in papers.items()]
        payload = tables_bytes({PAPERS_TABLE: docs})
        self._lib.fps[name] = atomic_write(self._shard_path(name), payload)
        if not extra:
            self._pending.discard(name)
