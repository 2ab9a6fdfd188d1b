"""Full texts kept in the data dir, one file a paper (``fulltext/<arXiv id>.md``), so a paper
read once opens again without the network.

Kept as Hugging Face sent them (the parser cleans on every read: the file is as untrusted as
the answer was), written atomically, read back no larger than ``MAX_BYTES``. A file of its
own per paper rather than a library record: a 100 KB text has no place in the month shards.
"""

from __future__ import annotations

import contextlib
import re
import time
from pathlib import Path

from reader.library.storage import TMP_SUFFIX, atomic_write

FULL_TEXT_DIR = "fulltext"
MAX_BYTES = 8 * 1024 * 1024
STALE_TEMP_SECONDS = 3600  # a temp file this old was left by a writer that was killed
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,63}(?:/[A-Za-z0-9.\-]{1,32})?$")


class FullTexts:
    """The kept full texts under ``data_dir``."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = Path(data_dir) / FULL_TEXT_DIR

    def path(self, arxiv_id: str) -> Path | None:
        """The file for ``arxiv_id``; None for an id that could not be a file name of ours
        (``..``, separators, anything but an arXiv id's characters)."""
        if not isinstance(arxiv_id, str) or not _ID.match(arxiv_id) or ".." in arxiv_id:
            return None
        return self.folder / (arxiv_id.replace("/", "_") + ".md")

    def get(self, arxiv_id: str) -> str | None:
        """The kept text, or None when there is none (or it cannot be read)."""
        path = self.path(arxiv_id)
        if path is None:
            return None
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError:
            return None
        return data[:MAX_BYTES].decode("utf-8", errors="replace")

    def put(self, arxiv_id: str, text: str) -> None:
        """Keep ``text`` for ``arxiv_id``, replacing any older copy all at once; OSError when
        the data dir cannot be written, ValueError for an id that is no file name."""
        path = self.path(arxiv_id)
        if path is None:
            raise ValueError(f"not an arXiv id: {arxiv_id!r}")
        self.folder.mkdir(parents=True, exist_ok=True)
        self._remove_stale_temps()
        atomic_write(path, text.encode("utf-8", errors="replace")[:MAX_BYTES])

    def _remove_stale_temps(self) -> None:
        cutoff = time.time() - STALE_TEMP_SECONDS
        for tmp in self.folder.glob(f".*.md.*{TMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink()
