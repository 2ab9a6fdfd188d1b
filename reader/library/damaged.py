"""Damaged files set aside, and the one-line warnings that tell the user so.

Every part of the store reads its files through :func:`read_or_set_aside`: a file that
does not parse is moved aside under a name that says why, and the part starts fresh; a
file with some unreadable entries is copied aside before the good ones are used. Either
way the user hears of it through :class:`Warnings`.
"""

from __future__ import annotations

from pathlib import Path

from reader.library.notices import Warnings
from reader.library.storage import DamagedFileError, Data, Fingerprint, read_tables_file, set_aside


def read_or_set_aside(path: Path, warnings: Warnings) -> tuple[Data, Fingerprint | None]:
    """A file's tables, setting a damaged file aside (caller holds the dir lock)."""
    try:
        return read_tables_file(path)
    except DamagedFileError as exc:
        kept = set_aside(path, exc.reason)
        warnings.add(f"{path.name} was damaged ({exc.reason}); kept it as {kept} and started fresh")
        return {}, None


def keep_damaged_copy(path: Path, bad: int, warnings: Warnings) -> None:
    """Copy aside a file some of whose ``bad`` entries were skipped (caller holds the dir lock).

    A file is copied once: while it stays as it was (a saved list is rewritten only when
    fetched again), each start finds the copy already kept and makes no other.
    """
    kept = _kept_copy_of(path)
    if kept is None:
        kept = set_aside(path, "bad-records", copy=True)
    warnings.add(f"{path.name}: skipped {bad} unreadable entries; the file as it was is kept as {kept}")


def _kept_copy_of(path: Path) -> Path | None:
    """An earlier bad-records copy of ``path`` with the same bytes, if there is one."""
    try:
        size = path.stat().st_size
        copies = sorted(path.parent.glob(f"{path.name.removesuffix('.json')}.damaged-*-bad-records*.json"))
        raw: bytes | None = None
        for copy in reversed(copies):
            if copy.stat().st_size != size:
                continue
            raw = path.read_bytes() if raw is None else raw
            if copy.read_bytes() == raw:
                return copy
    except OSError:
        return None
    return None
