"""Where an export goes: a file outside the data dir, or standard output.

An export written over ``state.json`` or a library shard would destroy the marks it was
asked to save, so any path that lands inside the data dir (through ``..``, a symbolic or
a hard link) is refused. Every failure to write is one line, as a ``ReaderError``.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

from reader.model import ReaderError


def refuse_data_dir(output: Path, data_dir: Path) -> None:
    """``ReaderError`` when writing ``output`` would write a file of ``data_dir``."""
    try:
        home = data_dir.resolve()
        target = output.resolve()  # follows symbolic links and ``..``
    except (OSError, RuntimeError):  # a symlink loop: opening it fails later, on its own
        return
    if target == home or target.is_relative_to(home) or _hard_linked_inside(target, home):
        raise ReaderError(f"refusing to write {output}: it is inside the data dir {data_dir} "
                          "(write the export elsewhere)")


def _hard_linked_inside(path: Path, home: Path) -> bool:
    """Whether ``path`` is a second name of a file under ``home``."""
    try:
        info = path.stat()
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode) or info.st_nlink < 2:
        return False
    for root, _dirs, files in os.walk(home):
        for name in files:
            try:
                other = os.stat(os.path.join(root, name))
            except OSError:
                continue
            if (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino):
                return True
    return False


def write_export(parts: Iterable[str], output: Path | None) -> None:
    """Write ``parts`` to ``output``, or to standard output for ``None``."""
    if output is None:
        _to_stdout(parts)
        return
    try:
        with open(output, "w", encoding="utf-8") as out:
            out.writelines(parts)
    except OSError as error:
        raise ReaderError(f"cannot write {output}: {error.strerror or error}") from None


def _to_stdout(parts: Iterable[str]) -> None:
    out = sys.stdout
    if out is None:  # started with descriptor 1 closed
        raise ReaderError("cannot write to standard output: it is closed")
    try:
        out.writelines(parts)
        out.flush()
    except OSError as error:
        _discard_stdout(out)
        raise ReaderError(f"cannot write to standard output: {error.strerror or error}") from None


def _discard_stdout(out: object) -> None:
    """Point descriptor 1 at /dev/null: what is still buffered would fail again at exit,
    as a second, noisier message."""
    try:
        fileno = out.fileno()  # type: ignore[attr-defined]
        devnull = os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError, AttributeError):
        return
    try:
        os.dup2(devnull, fileno)
    finally:
        os.close(devnull)
