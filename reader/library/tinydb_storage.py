"""TinyDB's storage for the data dir's JSON files: written atomically, read strictly.

Kept apart from :mod:`~reader.library.storage` so that TinyDB is imported when the store
opens its files, not on the way to the first frame.
"""

from __future__ import annotations

import os
from pathlib import Path

from tinydb.storages import Storage

from reader.library.storage import (
    META_TABLE, Data, DamagedFileError, Fingerprint, atomic_write, dump_tinydb, fingerprint, parse_tinydb, schema_of,
)


class AtomicJSONStorage(Storage):
    """TinyDB storage writing compact JSON atomically; an existing unparsable file raises.

    Unlike TinyDB's ``JSONStorage`` it does no I/O when created and never reads an empty file
    as an empty database: only a missing file is "no data".
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.fingerprint: Fingerprint | None = None

    def read(self) -> Data | None:
        try:
            handle = open(self.path, "rb")  # noqa: SIM115 - closed below, fstat needs the fd
        except FileNotFoundError:
            self.fingerprint = None
            return None
        except OSError as exc:
            raise DamagedFileError(self.path, "unreadable", exc.strerror or str(exc)) from None
        with handle:
            try:
                st = os.fstat(handle.fileno())
                raw = handle.read()
            except OSError as exc:
                raise DamagedFileError(self.path, "unreadable", exc.strerror or str(exc)) from None
        data = parse_tinydb(raw, self.path)
        self.fingerprint = fingerprint(st)
        return data

    def write(self, data: Data) -> None:
        self.fingerprint = atomic_write(self.path, dump_tinydb(data))

    def close(self) -> None:
        """Nothing is held open between calls."""


def read_tables(storage: AtomicJSONStorage) -> Data:
    """Read and schema-check a file; ``{}`` when it does not exist or holds no tables."""
    data = storage.read()
    if data is None:
        return {}
    schema_of(data, storage.path)
    return {name: table for name, table in data.items() if name != META_TABLE}
