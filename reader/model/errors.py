"""Errors the data layer raises; each carries a one-line message fit to show a person."""

from __future__ import annotations


class ReaderError(Exception):
    """Base for every expected failure: its message is shown as is, never a traceback."""


class ParseError(ReaderError):
    """A document is not a Hugging Face page, dump or API answer we can read."""


class FetchError(ReaderError):
    """The live source could not give a list (offline, HTTP error, rate limit, bad answer)."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class Cancelled(ReaderError):
    """Work was stopped from outside (the reader is quitting): nothing should fall back or retry."""


class StoreError(ReaderError):
    """The data dir cannot be used (unwritable, or written by a newer paper-reader)."""
