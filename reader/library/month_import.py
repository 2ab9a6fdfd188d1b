"""The month files of older readers (``library/YYYY-MM.json``) moved into the database, once.

Each file is read as the month shards always were (a damaged one kept aside and said, a
bad record skipped and counted) and its papers merged as a fetch would merge them, one transaction a
file, newest month first. A paper a killed move left in two months counts where its date
files it (the newer month when both do); the other copy only adds what the library lacked. Once every file is in, the
folder is renamed (never deleted) and the user told once, in one line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from reader.model import Paper, StoreError
from reader.library.notices import Warnings
from reader.library.data_dir import LIBRARY_DIR
from reader.library.paper_docs import paper_from_doc
from reader.library.paper_rows import UNDATED, month_of
from reader.library.paper_table import PaperTable
from reader.library.storage import DamagedFileError, set_aside
from reader.library.tinydb_storage import AtomicJSONStorage, read_tables

PAPERS_TABLE = "papers"
MOVED_DIR = "library-month-files"
"""Where the month files are kept once the database holds their papers."""

_SHARD_NAME = re.compile(r"\d{4}-(0[1-9]|1[0-2])|" + UNDATED)


def month_files(directory: Path) -> list[Path]:
    """The month files in ``directory``, newest month first, ``undated`` last."""
    try:
        found = [p for p in directory.glob("*.json") if _SHARD_NAME.fullmatch(p.stem)]
    except OSError:
        return []
    dated = sorted((p for p in found if p.stem != UNDATED), key=lambda p: p.stem, reverse=True)
    return dated + [p for p in found if p.stem == UNDATED]


def import_month_files(table: PaperTable, data_dir: Path, warnings: Warnings) -> int:
    """Move the papers of ``data_dir/library/*.json`` into ``table`` and the folder aside;
    returns how many paper records were read (0: there were no month files). The caller holds the
    data dir's lock, so two readers starting at once import once."""
    directory = Path(data_dir) / LIBRARY_DIR
    files = month_files(directory)
    if not files:
        return 0
    read = bad = 0
    damaged: list[tuple[str, str]] = []  # (file name, why): set aside once the folder is moved
    misfiled: list[Paper] = []  # copies a killed move left: they only add what is missing
    seen: set[str] = set()  # the newest month's copy of a paper counts
    for path in files:
        try:
            tables = read_tables(AtomicJSONStorage(path))
        except DamagedFileError as exc:
            damaged.append((path.name, exc.reason))
            continue
        filed: list[Paper] = []
        for doc in tables.get(PAPERS_TABLE, {}).values():
            found = paper_from_doc(doc)
            if found is None:
                bad += 1
                continue
            key, paper = found[0], found[2]
            if month_of(paper.published) == path.stem and key not in seen:
                filed.append(paper)
                seen.add(key)
            else:
                misfiled.append(paper)
        read += len(filed)
        table.merge(filed)
    table.merge(misfiled, keep_existing=True)
    read += len(misfiled)
    kept = _move_aside(directory)
    for name, reason in damaged:
        aside = set_aside(kept / name, reason)
        warnings.add(f"{name} was damaged ({reason}); kept it as {aside}, its papers are not in the library")
    skipped = f"; {bad} damaged records were skipped" if bad else ""
    warnings.add(
        f"the library ({table.count()} papers) moved into {table.path.name}{skipped}; "
        f"the old month files are kept in {kept.name}/"
    )
    return read


def _move_aside(directory: Path) -> Path:
    for n in range(1, 1000):
        target = directory.with_name(MOVED_DIR if n == 1 else f"{MOVED_DIR}-{n}")
        if not target.exists():
            try:
                os.rename(directory, target)
            except OSError as exc:
                raise StoreError(f"cannot move {directory.name}/ aside: {exc.strerror or exc}") from None
            return target
    raise StoreError(f"cannot move {directory.name}/ aside: too many copies kept already")
