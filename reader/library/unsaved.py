"""Marks that could not be saved, written aside at quit so the user can find them again.

When the data dir cannot take the marks (a full disk, a lock another process never lets
go), the marks changed since the last good write are kept in ``unsaved-marks-<time>.json``:
in the data dir when it takes a small file, else in the temp dir; when neither can be
written, their JSON is part of the message the user is shown. The file holds the marks as ``state.json`` stores
them, so nothing about a mark is lost.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from reader.library.mark_records import MarkRecord
from reader.library.storage import atomic_write

UNSAVED_PREFIX = "unsaved-marks-"


def describe(recs: Sequence[MarkRecord], limit: int = 5) -> str:
    """The unsaved marks in a few words: ``2503.14476 read, title:attention bookmarked``."""
    words = []
    for rec in recs[:limit]:
        states = [name for name, on in (("read", rec.read), ("bookmarked", rec.bookmarked)) if on]
        key = rec.key.removeprefix("arxiv:")
        words.append(f"{key} {' and '.join(states) or 'unmarked'}")
    more = f" and {len(recs) - limit} more" if len(recs) > limit else ""
    return ", ".join(words) + more


def write_aside(data_dir: Path, recs: Sequence[MarkRecord], reason: str) -> str:
    """Keep ``recs`` somewhere safe; returns the one line that says which marks and where."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    payload = json.dumps(
        {"unsaved_marks": [rec.to_doc() for rec in recs], "reason": reason}, ensure_ascii=False, indent=1
    ).encode("utf-8", "backslashreplace")
    head = f"{len(recs)} mark(s) not saved ({reason}): {describe(recs)}"
    for directory in (data_dir, Path(tempfile.gettempdir())):
        try:
            kept = directory / f"{UNSAVED_PREFIX}{stamp}.json"
            atomic_write(kept, payload)
        except OSError:
            continue
        return f"{head}; kept them in {kept}"
    return f"{head}; no file could be written, so here they are:\n{payload.decode('utf-8', 'replace')}"
