"""Files that survive a kill at any moment: atomic writes, the TinyDB file layout, the data-dir
lock, set-asides. TinyDB itself is imported only where its storage is used (``tinydb_storage``).

Every file is written whole to a temporary file in the same directory, fsynced and renamed
over the target, so a reader sees the old file or the new one, never half of either. A file
that exists but does not parse is *damaged*: it is reported, never treated as empty, so the
caller can move it aside instead of overwriting what may be the user's only copy.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from reader.model import StoreError

SCHEMA = 1
"""The layout version written in every file's ``meta`` table; bump it on incompatible change."""

META_TABLE = "meta"
TMP_SUFFIX = ".tmp"

Fingerprint = tuple[int, int, int, int, int]
Data = dict[str, dict[str, Any]]


class DamagedFileError(ValueError):
    """An existing file that is not a usable TinyDB database; ``reason`` is a short slug."""

    def __init__(self, path: Path, reason: str, detail: str = "") -> None:
        self.path = path
        self.reason = reason
        self.detail = detail
        super().__init__(f"{path}: {reason}" + (f" ({detail})" if detail else ""))


def fingerprint(st: os.stat_result) -> Fingerprint:
    """Identity of one version of a file: a rename-over gives a new inode, a write new times."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def file_fingerprint(path: Path) -> Fingerprint | None:
    try:
        return fingerprint(os.stat(path))
    except FileNotFoundError:
        return None


def fingerprint_with_log(path: Path) -> list[Fingerprint | None]:
    """A database as it is on disk, from ``stat`` alone: its file, and its write-ahead log
    (``-wal``) while that holds writes not yet moved into the file."""
    log = path.with_name(path.name + "-wal")
    log_fp = file_fingerprint(log)
    return [file_fingerprint(path), log_fp if log_fp is not None and log.stat().st_size else None]


def load_json(raw: bytes | str) -> Any:
    """JSON from a local file: every one the reader reads goes through here.

    Nesting too deep for the parser is a ``ValueError`` like any other bad JSON, never a
    ``RecursionError`` that would escape as a traceback.
    """
    try:
        return json.loads(raw)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def parse_tinydb(raw: bytes, path: Path) -> Data:
    """Parse a TinyDB file's bytes, or raise :class:`DamagedFileError` saying why not."""
    if not raw.strip():
        raise DamagedFileError(path, "empty")
    try:
        data = load_json(raw)
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, too deep
        raise DamagedFileError(path, "unreadable-json", str(exc)) from None
    if not isinstance(data, dict) or not all(
        isinstance(table, dict)
        and all(_is_doc_id(doc_id) and isinstance(doc, dict) for doc_id, doc in table.items())
        for table in data.values()
    ):
        raise DamagedFileError(path, "not-tinydb", "not a TinyDB table layout")
    return data


def _is_doc_id(doc_id: str) -> bool:
    return doc_id.isascii() and doc_id.isdigit()


def _utf8(text: str) -> bytes:
    # A lone surrogate (only ever inside a JSON string) becomes the \udxxx escape it came from.
    return text.encode("utf-8", "backslashreplace")


def dump_tinydb(data: Data) -> bytes:
    """Compact UTF-8 JSON."""
    return _utf8(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def doc_json(doc: dict[str, Any]) -> str:
    """One document as compact JSON, for :func:`tables_bytes`."""
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def tables_bytes(tables: dict[str, list[str]]) -> bytes:
    """A TinyDB file from documents already serialised one by one, ``meta`` first.

    Serialising per document lets other threads run between documents (one ``json.dumps``
    of a big file holds the GIL for its whole run) and lets callers reuse unchanged ones.
    """
    parts = ['{"%s":{"1":{"schema":%d}}' % (META_TABLE, SCHEMA)]
    for name, docs in tables.items():
        body = ",".join([f'"{i}":{doc}' for i, doc in enumerate(docs, 1)])
        parts.append(f",{json.dumps(name)}:{{{body}}}")
    parts.append("}")
    return _utf8("".join(parts))


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse fsync on a directory; the rename is still atomic
    finally:
        os.close(fd)


def atomic_write(path: Path, payload: bytes | Iterable[bytes]) -> Fingerprint:
    """Replace ``path`` with ``payload`` (or its parts, in order: no joined copy in memory)
    all at once; returns the new file's fingerprint."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            for part in [payload] if isinstance(payload, bytes) else payload:
                handle.write(part)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)
    return fingerprint(os.stat(path))


def read_data(path: Path) -> tuple[Data | None, Fingerprint | None]:
    """A TinyDB file's data and the version of the file read; ``(None, None)`` when there is
    no file. An existing file that cannot be read or parsed raises :class:`DamagedFileError`."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below, fstat needs the fd
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        raise DamagedFileError(path, "unreadable", exc.strerror or str(exc)) from None
    with handle:
        try:
            st = os.fstat(handle.fileno())
            raw = handle.read()
        except OSError as exc:
            raise DamagedFileError(path, "unreadable", exc.strerror or str(exc)) from None
    return parse_tinydb(raw, path), fingerprint(st)


def tables_of(data: Data | None, path: Path) -> Data:
    """A file's tables without its ``meta``, once its schema is checked; ``{}`` for no file."""
    if data is None:
        return {}
    schema_of(data, path)
    return {name: table for name, table in data.items() if name != META_TABLE}


def read_tables_file(path: Path) -> tuple[Data, Fingerprint | None]:
    """A file's schema-checked tables (``{}`` when there is none) and the version read."""
    data, fp = read_data(path)
    return tables_of(data, path), fp


def schema_of(data: Data, path: Path) -> int | None:
    """The file's schema, ``None`` for a database with no tables at all; checks it is usable.

    Raises :class:`DamagedFileError` (``bad-schema``) for a missing or malformed schema and
    :class:`StoreError` for a newer one: that file belongs to a newer paper-reader.
    """
    meta = data.get(META_TABLE)
    if not meta:
        if not any(data.values()):
            return None
        raise DamagedFileError(path, "bad-schema", "no schema")
    schema = next(iter(meta.values())).get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise DamagedFileError(path, "bad-schema", f"schema {schema!r}")
    if schema > SCHEMA:
        raise StoreError(
            f"{path} was written by a newer paper-reader (schema {schema}, this one reads "
            f"{SCHEMA}); upgrade paper-reader or use another --data-dir"
        )
    return schema


def set_aside(path: Path, reason: str, *, copy: bool = False) -> Path:
    """Keep a damaged file next to where it was, under a name that says when and why.

    Moves it (or copies it, when the caller keeps using the original) and never overwrites
    an earlier set-aside.
    """
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    stem = path.name.removesuffix(".json")
    for n in range(1, 1000):
        extra = "" if n == 1 else f"-{n}"
        target = path.with_name(f"{stem}.damaged-{stamp}-{reason}{extra}.json")
        if target.exists() or target.is_symlink():
            continue
        if copy:
            shutil.copy2(path, target)
        else:
            os.rename(path, target)
        fsync_dir(path.parent)
        return target
    raise StoreError(f"cannot set aside damaged {path}: too many set-asides already")


def remove_stale_temps(directory: Path) -> None:
    """Delete temp files a killed writer left; only call while holding the data-dir lock."""
    with contextlib.suppress(FileNotFoundError):
        for tmp in directory.glob(f".*.json.*{TMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                tmp.unlink()


class DirLock:
    """An exclusive ``flock`` on ``<data_dir>/.lock``, shared by processes and threads.

    Each thread's first acquisition opens its own descriptor, so two threads of one process
    exclude each other as two processes do; a thread that already holds it may nest. The
    lock dies with its holder, so a killed process never leaves the data dir locked.
    """

    def __init__(self, data_dir: Path, timeout: float = 30.0) -> None:
        self.path = data_dir / ".lock"
        self.timeout = timeout
        self._local = threading.local()

    @contextlib.contextmanager
    def held(self, timeout: float | None = None, cancel: threading.Event | None = None) -> Iterator[None]:
        """Hold the lock; waits up to ``timeout`` seconds (the lock's own by default), and
        gives up as soon as ``cancel`` is set. Raises :class:`StoreError` when not had."""
        depth = getattr(self._local, "depth", 0)
        if depth:
            self._local.depth = depth + 1
            try:
                yield
            finally:
                self._local.depth = depth
            return
        with self._flocked(self.timeout if timeout is None else timeout, cancel):
            self._local.depth = 1
            try:
                yield
            finally:
                self._local.depth = 0

    @contextlib.contextmanager
    def _flocked(self, timeout: float, cancel: threading.Event | None) -> Iterator[None]:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot lock {self.path}: {exc.strerror or exc}") from None
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                        raise StoreError(f"cannot lock {self.path}: {exc.strerror}") from None
                    if cancel is not None and cancel.is_set():
                        raise StoreError(f"gave up waiting for the lock on {self.path.parent}") from None
                    if time.monotonic() > deadline:
                        raise StoreError(
                            f"{self.path.parent} is locked by another paper-reader that is not "
                            "letting go"
                        ) from None
                    time.sleep(0.002)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock
