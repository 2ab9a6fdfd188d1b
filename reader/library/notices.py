"""The one-line warnings the store owes the user: damaged files set aside, failing writes.

Its own module, apart from the set-asides in :mod:`~reader.library.damaged`, because the
store collects warnings from the moment it is made, before the first frame, and the
set-asides need TinyDB, which is imported only when the store opens.
"""

from __future__ import annotations

import threading


class Warnings:
    """Warnings owed to the user, collected from any thread (the writer's failures too)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[str] = []

    def add(self, message: str) -> None:
        with self._lock:
            self._messages.append(message)

    def take(self) -> list[str]:
        """The warnings since the last call, oldest first."""
        with self._lock:
            out, self._messages = self._messages, []
        return out

    def put_back(self, messages: list[str]) -> None:
        """Return taken warnings ahead of any newer ones, for a later :meth:`take`."""
        with self._lock:
            self._messages[:0] = messages
