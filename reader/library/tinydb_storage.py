"""TinyDB's storage for the data dir's JSON files: written atomically, read strictly.

The store reads and writes these files with :mod:`~reader.library.storage`'s functions;
this class makes the same files a TinyDB database (the tests open them with TinyDB), and
is kept apart so that TinyDB is not imported on the way to the first frame.
"""

from __future__ import annotations

import os
from pathlib import Path

from tinydb.storages import Storage

from reader.library.storage import Data, Fingerprint, atomic_write, dump_tinydb, read_data, tables_of


class AtomicJSONStorage(Storage):
    """TinyDB storage writing compact JSON atomically; an existing unparsable file raises.

    Unlike TinyDB's ``JSONStorage`` it does no I/O when created and never reads an empty file
    as an empty database: only a missing file is "no data".
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.fingerprint: Fingerprint | None = None

    def read(self) -> Data | None:
        data, self.fingerprint = read_data(self.path)
        return data

    def write(self, data: Data) -> None:
        self.fingerprint = atomic_write(self.path, dump_tinydb(data))

    def close(self) -> None:
        """Nothing is held open between calls."""


def read_tables(storage: AtomicJSONStorage) -> Data:
    """Read and schema-check a file; ``{}`` when it does not exist or holds no tables."""
    return tables_of(storage.read(), storage.path)
