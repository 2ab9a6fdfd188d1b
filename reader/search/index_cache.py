"""The library's search index, kept between sessions in two parts.

Building the index reads every token of every paper: seconds at 50,000 papers, during
which search falls back to a slow scan. So the library's index is kept in two parts: the
newest months, where a new day's papers land, and everything older, which rarely
changes. Each part is kept in ``search-index/`` under a digest of its papers' searched
text in list order, computed afresh at each start (no file date or size is trusted), and
only a part whose papers changed is built again. Two parts, not one per month: every
part costs each keystroke a scan of its own vocabulary. The files are a cache: unreadable,
stale or foreign, one is ignored and rebuilt, and nothing else is ever read from it.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import sys
import time
from array import array
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from reader.model import Paper
from reader.search.index import IndexPart, MarkSource, SearchIndex
from reader.library import TMP_SUFFIX, atomic_write, load_json
from reader.library import shard_of

DIR_NAME = "search-index"
SUFFIX = ".part"
MAGIC = b"paper-reader search index part\n"
SCHEMA = 1
SUM_SIZE = 20
_LENGTH = struct.Struct("<I")
_CHUNK = 512
RECENT_MONTHS = 2
STALE_TEMP_AGE = 600.0  # seconds


def list_digest(papers: Sequence[Paper]) -> str:
    """A digest of what the index is built from: titles, authors and abstracts, in order."""
    digest = hashlib.blake2b(digest_size=SUM_SIZE)
    for start in range(0, len(papers), _CHUNK):
        parts: list[str] = []
        for paper in papers[start : start + _CHUNK]:
            parts += (paper.title, "\n".join(paper.authors), paper.abstract)
        digest.update("\x00".join(parts).encode("utf-8", "surrogatepass"))
        digest.update(b"\x01")
    return digest.hexdigest()


def month_runs(papers: Sequence[Paper]) -> list[tuple[int, int]]:
    """(start, end) of each run of papers from one month, in list order: the library lists
    its months one after the other, newest first."""
    runs: list[tuple[int, int]] = []
    start, month = 0, None
    for position, paper in enumerate(papers):
        this = shard_of(paper.published)
        if this != month and position > start:
            runs.append((start, position))
            start = position
        month = this
    if start < len(papers):
        runs.append((start, len(papers)))
    return runs


def index_parts(papers: Sequence[Paper]) -> list[tuple[int, int]]:
    """(start, end) of the parts the library's index is kept in: its newest
    ``RECENT_MONTHS`` months, then the rest."""
    runs = month_runs(papers)
    if len(runs) <= RECENT_MONTHS:
        return [(0, len(papers))] if papers else []
    split = runs[RECENT_MONTHS][0]
    return [(0, split), (split, len(papers))]


def load_or_build(
    data_dir: Path, papers: Sequence[Paper], marks: MarkSource, cancelled: Callable[[], bool] = lambda: False
) -> SearchIndex | None:
    """The index of the library ``papers``: kept parts read back, the others built and
    kept. ``None`` when ``cancelled`` says stop."""
    folder = data_dir / DIR_NAME
    parts: list[IndexPart] = []
    used: set[str] = set()
    for start, end in index_parts(papers):
        run = papers[start:end]
        digest = list_digest(run)
        used.add(digest + SUFFIX)
        part = _read(folder / (digest + SUFFIX), digest, len(run))
        if part is None:
            part = IndexPart.build(run, cancelled)
            if part is None:
                return None
            _keep(folder, part, digest)
        parts.append(part)
    _forget_others(folder, used)
    return SearchIndex(papers, marks, parts)


def _key(digest: str) -> dict[str, object]:
    """What must match for a kept part to be used: its papers, and this build's layout."""
    return {"schema": SCHEMA, "digest": digest, "byteorder": sys.byteorder, "itemsize": array("i").itemsize}


def _keep(folder: Path, part: IndexPart, digest: str) -> None:
    """Write ``part``: a header, the postings, and a sum of the postings, so a damaged file
    is never read as an index. Failing to write costs a rebuild next time, nothing more."""
    header = json.dumps({**_key(digest), "part": part.header()}).encode()
    body_sum = hashlib.blake2b(digest_size=SUM_SIZE)

    def pieces() -> Iterator[bytes]:
        yield MAGIC + _LENGTH.pack(len(header)) + header
        for block in part.blocks():
            body_sum.update(block)
            yield block
        yield body_sum.digest()

    try:
        folder.mkdir(exist_ok=True)
        atomic_write(folder / (digest + SUFFIX), pieces())
    except OSError:
        pass


class _Summing:
    """A file read through, summing what passes (``array.fromfile`` reads with ``read``).

    A read longer than what is left of the file is refused before any memory is taken
    for it: a damaged header must not ask for gigabytes.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.sum = hashlib.blake2b(digest_size=SUM_SIZE)
        self.left = os.fstat(stream.fileno()).st_size - stream.tell()

    def read(self, size: int = -1) -> bytes:
        if size < 0 or size > self.left:
            raise ValueError("index part is shorter than its header says")
        chunk = self.stream.read(size)
        self.left -= len(chunk)
        self.sum.update(chunk)
        return chunk


def _read(path: Path, digest: str, count: int) -> IndexPart | None:
    """The kept part at ``path`` when it was built from these very papers, else ``None``."""
    try:
        with open(path, "rb") as stream:
            if stream.read(len(MAGIC)) != MAGIC:
                return None
            (length,) = _LENGTH.unpack(stream.read(_LENGTH.size))
            header = load_json(stream.read(length))
            if not isinstance(header, dict) or any(header.get(k) != v for k, v in _key(digest).items()):
                return None
            body = _Summing(stream)
            part = IndexPart.read(header["part"], body, count)
            if stream.read(SUM_SIZE) != body.sum.digest() or stream.read(1):
                return None
            return part
    except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError, struct.error):
        return None


def _forget_others(folder: Path, used: set[str]) -> None:
    """Remove kept parts of months the library no longer has as they were, and what a
    killed writer left (old enough that no other reader can still be writing it)."""
    try:
        for path in folder.glob("*" + SUFFIX):
            if path.name not in used:
                path.unlink(missing_ok=True)
        for path in folder.glob(f".*{SUFFIX}.*{TMP_SUFFIX}"):
            if time.time() - path.stat().st_mtime > STALE_TEMP_AGE:
                path.unlink(missing_ok=True)
    except OSError:
        pass
