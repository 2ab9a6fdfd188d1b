"""Marks shared between machines through a folder the user's own sync tool keeps equal.

Each machine writes one file there, ``marks-<machine id>.json``, and never another's: a
sync tool then has nothing to reconcile but whole files, and two machines never write the
same file. Every machine merges every other file it finds (the conflict copies sync tools
leave beside a file too: Syncthing's ``*.sync-conflict-*``, Dropbox's "conflicted copy")
per paper and per mark, the newer change winning, as two readers on one data dir do
(:meth:`MarkRecord.merged`). A file that is damaged or from a newer paper-reader is
reported and skipped, and left where it is: it belongs to another machine.

The TinyDB files stay in the data dir; only these files are in the synced folder.
"""

from __future__ import annotations

import json
import os
import re
import socket
import uuid
from collections.abc import Iterable
from pathlib import Path

from reader.library.mark_records import MarkRecord
from reader.library.notices import Warnings
from reader.library.storage import TMP_SUFFIX, Fingerprint, atomic_write, file_fingerprint

SYNC_SCHEMA = 1
"""The sync files' format; a file with a higher one is from a newer paper-reader."""
MACHINE_ID_FILE = "machine-id"
"""In the data dir: this machine's name in the sync folder, made once and kept."""
PREFIX = "marks-"

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def machine_id(data_dir: Path) -> str:
    """This data dir's stable machine id (host name and a random part), made on first use."""
    path = data_dir / MACHINE_ID_FILE
    try:
        known = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        known = ""
    if known and not _UNSAFE.search(known):
        return known
    host = _UNSAFE.sub("-", socket.gethostname()).strip("-")[:24] or "machine"
    made = f"{host}-{uuid.uuid4().hex[:8]}"
    atomic_write(path, f"{made}\n".encode())
    return made


def is_sync_file(name: str) -> bool:
    """A machine's marks file or a sync tool's conflict copy of one; not a temp file."""
    return name.startswith(PREFIX) and ".json" in name and not name.endswith(TMP_SUFFIX)


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies within it."""
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


class MarkSync:
    """This machine's file in the sync folder, and the other machines' files read from it.

    Not thread-safe: the marks call it under their ``io_lock``.
    """

    def __init__(self, folder: Path, data_dir: Path, warnings: Warnings) -> None:
        self.folder = Path(folder).expanduser()
        self.machine = machine_id(data_dir)
        self.own_file = self.folder / f"{PREFIX}{self.machine}.json"
        self._warnings = warnings
        self._seen: dict[str, Fingerprint] = {}  # file name -> fingerprint when last read
        self.published = self.own_file.exists()  # else the next write makes it, marks or not
        self._last_problem = ""

    def incoming(self) -> list[MarkRecord]:
        """The marks in every other file that changed since it was last read."""
        try:
            names = sorted(entry.name for entry in os.scandir(self.folder) if entry.is_file())
        except FileNotFoundError:
            return []  # the sync tool has not made it yet; the first write will
        except OSError as exc:
            self._report(f"cannot read the sync folder {self.folder}: {exc.strerror or exc}")
            return []
        recs: list[MarkRecord] = []
        for name in names:
            if name == self.own_file.name or not is_sync_file(name):
                continue
            path = self.folder / name
            fp = file_fingerprint(path)
            if fp is None or self._seen.get(name) == fp:
                continue
            self._seen[name] = fp
            recs.extend(self._read(path))
        return recs

    def _read(self, path: Path) -> list[MarkRecord]:
        try:
            doc = json.loads(path.read_bytes())
        except (OSError, ValueError) as exc:
            self._warnings.add(f"sync file {path.name} is damaged ({type(exc).__name__}); skipped, left as it is")
            return []
        if not isinstance(doc, dict) or not isinstance(doc.get("schema"), int) or not isinstance(doc.get("marks"), list):
            self._warnings.add(f"sync file {path.name} is not a paper-reader marks file; skipped, left as it is")
            return []
        if doc["schema"] > SYNC_SCHEMA:
            self._warnings.add(
                f"sync file {path.name} is from a newer paper-reader (format {doc['schema']}); skipped until this one is updated"
            )
            return []
        recs = [MarkRecord.from_doc(mark) if isinstance(mark, dict) else None for mark in doc["marks"]]
        good = [rec for rec in recs if rec is not None]
        if len(good) < len(recs):
            self._warnings.add(f"sync file {path.name}: {len(recs) - len(good)} damaged marks skipped")
        return good

    def publish(self, recs: Iterable[MarkRecord]) -> None:
        """Replace this machine's file with ``recs``; a failure is a warning, never lost marks
        (the data dir has them, and the next write tries again)."""
        payload = {
            "schema": SYNC_SCHEMA,
            "machine": self.machine,
            "marks": [rec.to_doc() for rec in recs],
        }
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write(self.own_file, json.dumps(payload, separators=(",", ":")).encode())
        except OSError as exc:
            self._report(f"cannot write {self.own_file}: {exc.strerror or exc}")
        else:
            self.published = True
            self._last_problem = ""

    def _report(self, message: str) -> None:
        if message != self._last_problem:
            self._last_problem = message
            self._warnings.add(message)
