"""Undo an answer's ``Content-Encoding`` without letting it grow past a cap.

A few kilobytes of gzip inside gzip inflate to gigabytes; a decoder that inflates a whole
chunk before anyone looks at the size has already spent the memory. Each layer here is
inflated at most ``limit + 1`` bytes at a time, and any layer past ``limit`` stops it.
"""

from __future__ import annotations

import zlib

ACCEPTED = "gzip, deflate"  # what we ask for; anything else a server sends is refused


class TooLarge(Exception):
    """The decoded answer would be larger than the cap."""


class BadEncoding(Exception):
    """An encoding we did not ask for, or data that is not what its encoding says."""


class _Zlib:
    """gzip, or deflate with or without its zlib header (servers send both)."""

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._started = False
        self._inflater = zlib.decompressobj(zlib.MAX_WBITS | 16 if gzip else zlib.MAX_WBITS)

    def feed(self, data: bytes, room: int) -> bytes:
        try:
            out = self._inflater.decompress(data, room + 1)
        except zlib.error:
            if self._gzip or self._started:
                raise BadEncoding("bad compressed data") from None
            self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate
            out = self._feed_raw(data, room)
        self._started = True
        if len(out) > room:
            raise TooLarge
        return out

    def _feed_raw(self, data: bytes, room: int) -> bytes:
        try:
            return self._inflater.decompress(data, room + 1)
        except zlib.error:
            raise BadEncoding("bad compressed data") from None

    def finish(self) -> bytes:
        try:
            return self._inflater.flush()
        except zlib.error:
            raise BadEncoding("bad compressed data") from None


def _layer(name: str) -> _Zlib | None:
    if name in ("gzip", "x-gzip"):
        return _Zlib(gzip=True)
    if name == "deflate":
        return _Zlib(gzip=False)
    if name in ("", "identity"):
        return None
    raise BadEncoding(f"unsupported Content-Encoding {name[:40]!r}")


class Inflater:
    """Decodes the body of one answer, chunk by chunk, to at most ``limit`` bytes.

    ``encoding`` is the header as sent: layers are listed in the order they were applied,
    so they are undone from the last.
    """

    def __init__(self, encoding: str, limit: int) -> None:
        names = [part.strip().lower() for part in encoding.split(",")]
        self._layers = [layer for name in reversed(names) if (layer := _layer(name)) is not None]
        self._limit = limit
        self.size = 0

    def feed(self, data: bytes) -> bytes:
        """The decoded bytes of ``data``; ``TooLarge`` once the total passes the limit."""
        for layer in self._layers:
            data = layer.feed(data, self._limit)
        return self._count(data)

    def finish(self) -> bytes:
        """What the layers still hold at the end of the body."""
        data = b""
        for layer in self._layers:
            data = (layer.feed(data, self._limit) if data else b"") + layer.finish()
        return self._count(data)

    def _count(self, data: bytes) -> bytes:
        self.size += len(data)
        if self.size > self._limit:
            raise TooLarge
        return data
