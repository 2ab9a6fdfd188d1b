"""The library's search index, kept between sessions.

Building the index reads every token of every paper: seconds at 50,000 papers, during
which search falls back to a slow scan. Reading it back takes a fraction of that, so the
index of the library is kept in the data dir and used again while the library is the same.
"The same" is decided by a digest of every paper's searched text, in list order, computed
afresh at each start: no file date or size is trusted. The file is a cache: unreadable,
stale or foreign, it is ignored and replaced, and nothing else is ever read from it.
"""

from __future__ import annotations

import hashlib
import json
import struct
import sys
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from reader.data.paper import Paper
from reader.data.search_index import MarkSource, SearchIndex
from reader.data.storage import atomic_write

FILE_NAME = "search-index.bin"
MAGIC = b"paper-reader search index\n"
SCHEMA = 1
_LENGTH = struct.Struct("<I")
_CHUNK = 512
SUM_SIZE = 20


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


def _key(digest: str) -> dict[str, object]:
    """What must match for a kept index to be used: the list, and this build's layout."""
    return {"schema": SCHEMA, "digest": digest, "byteorder": sys.byteorder, "itemsize": array("i").itemsize}


class _Summing:
    """A file read through, summing what passes (``array.fromfile`` reads with ``read``)."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.sum = hashlib.blake2b(digest_size=SUM_SIZE)

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.sum.update(chunk)
        return chunk


def save(data_dir: Path, index: SearchIndex, digest: str) -> None:
    """Keep ``index`` (built from papers whose ``list_digest`` is ``digest``): a header, the
    postings, and a sum of the postings, so a damaged file is never read as an index."""
    header = json.dumps({**_key(digest), "index": index.header()}).encode()
    body_sum = hashlib.blake2b(digest_size=SUM_SIZE)

    def parts() -> Iterator[bytes]:
        yield MAGIC + _LENGTH.pack(len(header)) + header
        for block in index.blocks():
            body_sum.update(block)
            yield block
        yield body_sum.digest()

    atomic_write(data_dir / FILE_NAME, parts())


def load(data_dir: Path, papers: Sequence[Paper], marks: MarkSource, digest: str) -> SearchIndex | None:
    """The kept index when it was built from these very papers, else ``None``."""
    try:
        with open(data_dir / FILE_NAME, "rb") as stream:
            if stream.read(len(MAGIC)) != MAGIC:
                return None
            (length,) = _LENGTH.unpack(stream.read(_LENGTH.size))
            header = json.loads(stream.read(length))
            if not isinstance(header, dict) or any(header.get(k) != v for k, v in _key(digest).items()):
                return None
            body = _Summing(stream)
            index = SearchIndex.read(header["index"], body, papers, marks)
            if stream.read(SUM_SIZE) != body.sum.digest() or stream.read(1):
                return None
            return index
    except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError, struct.error):
        return None
