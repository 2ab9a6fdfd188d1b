"""The library in ``library.sqlite3``: month files moved in once, a damaged or newer file,
a full disk and two readers at once, each said in one line and survived."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reader.library.paper_rows import LibraryPaper
from reader.library.storage import doc_json, tables_bytes
from reader.library.store import Store
from reader.model import Paper, StoreError


def paper(n: int, published: str | None = "2025-03-18", **kw: object) -> Paper:
    return Paper(title=f"Paper number {n}", arxiv_id=f"2503.{n:05d}", published=published,
                 abstract=f"Abstract {n}.", authors=[f"Author {n}"], **kw)  # type: ignore[arg-type]


def write_month_files(data_dir: Path, papers: list[Paper]) -> None:
    """The library as an older reader kept it: one JSON file a month."""
    library = data_dir / "library"
    library.mkdir(parents=True, exist_ok=True)
    months: dict[str, list[str]] = {}
    for p in papers:
        month = p.published[:7] if p.published else "undated"
        months.setdefault(month, []).append(doc_json({"key": p.key, "title_key": p.title_key, **p.to_record()}))
    for month, docs in months.items():
        (library / f"{month}.json").write_bytes(tables_bytes({"papers": docs}))


def test_month_files_move_into_the_database_once_without_losing_a_paper(tmp_path: Path) -> None:
    papers = [paper(n, published=f"2024-{n:02d}-03") for n in range(1, 13)]
    papers += [Paper(title="A Dump Paper", published=None, abstract="From a dump.")]
    write_month_files(tmp_path, papers)
    with Store(tmp_path) as store:
        [told] = store.take_warnings()
        assert "13 papers" in told and "library-month-files" in told and "\n" not in told
        assert sorted(p.key for p in store.library()) == sorted(p.key for p in papers)
        assert store.library()[-1].abstract == "From a dump."
    kept = tmp_path / "library-month-files"
    assert len(list(kept.glob("*.json"))) == 13 and not (tmp_path / "library").exists()
    with Store(tmp_path) as again:  # told once: nothing to move the second time
        assert again.take_warnings() == []
        assert again.papers.count() == 13


def test_old_saved_lists_with_whole_papers_become_keys_into_the_database(tmp_path: Path) -> None:
    records = [paper(1).to_record(), paper(2).to_record()]
    doc = doc_json({"name": "day:2025-03-18", "fetched_at": "2025-03-18T10:00:00Z", "papers": records})
    (tmp_path / "listings.json").write_bytes(tables_bytes({"listings": [doc]}))
    with Store(tmp_path) as store:
        saved = store.saved_listing("day:2025-03-18")
        assert saved is not None and [p.abstract for p in saved.papers] == ["Abstract 1.", "Abstract 2."]
        assert all(isinstance(p, LibraryPaper) for p in saved.papers)
    raw = json.loads((tmp_path / "listings.json").read_text())
    [entry] = raw["listings"].values()
    assert entry["keys"] == ["arxiv:2503.00001", "arxiv:2503.00002"] and "papers" not in entry


def test_a_damaged_database_is_set_aside_in_one_line_and_a_new_one_started(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        store.add_papers([paper(1)])
        store.set_read(paper(1), True)
    database = tmp_path / "library.sqlite3"
    database.write_bytes(b"this is no database, only words " * 200)
    store = Store(tmp_path)
    [warning] = store.open()
    assert "library.sqlite3 was damaged" in warning and "\n" not in warning
    [kept] = [p for p in tmp_path.glob("library.sqlite3.damaged-*") if not p.name.endswith("-wal")]
    assert kept.read_bytes().startswith(b"this is no database")
    assert store.library() == [] and store.mark(paper(1)).read  # the marks are not in it
    store.add_papers([paper(2)])
    assert [p.key for p in store.library()] == ["arxiv:2503.00002"]
    store.close()


def test_a_database_from_a_newer_reader_is_refused_and_left_alone(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        store.add_papers([paper(1)])
    database = tmp_path / "library.sqlite3"
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE schema_versions SET version = 99 WHERE part = 'papers'")
    before = database.read_bytes()
    with pytest.raises(StoreError, match="newer paper-reader") as caught:
        Store(tmp_path).open()
    assert "\n" not in str(caught.value)
    assert database.read_bytes() == before and not list(tmp_path.glob("*.damaged-*"))


def test_rows_written_by_hand_are_held_to_their_types(tmp_path: Path) -> None:
    """Another program may write the file: the table's types hold whoever writes, and the
    one column that is JSON inside text is read as keywords only when it is a list of them."""
    with Store(tmp_path) as store:
        store.add_papers([paper(1, ai_keywords=["rl"]), paper(2), paper(3)])
    with sqlite3.connect(tmp_path / "library.sqlite3") as conn:
        with pytest.raises(sqlite3.Error):
            conn.execute("UPDATE papers SET title = x'1b5b33316d' WHERE arxiv_id = '2503.00001'")  # a blob
        conn.execute("UPDATE papers SET ai_keywords = '{not json' WHERE arxiv_id = '2503.00001'")
        conn.execute("UPDATE papers SET ai_keywords = '[1, \"ok\", null]' WHERE arxiv_id = '2503.00002'")
        conn.execute("UPDATE papers SET ai_keywords = '{\"a\": 1}' WHERE arxiv_id = '2503.00003'")
    with Store(tmp_path) as store:
        keywords = {p.arxiv_id: p.ai_keywords for p in store.library()}
    assert keywords == {"2503.00001": [], "2503.00002": ["ok"], "2503.00003": []}


def test_a_full_disk_is_one_line_and_the_library_stays_as_it_was(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.open()
    store.add_papers([paper(1)])
    conn = store.papers._conn
    assert conn is not None
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 1}")  # what a full disk leaves room for
    big = [paper(n) for n in range(2, 400)]
    for p in big:
        p.abstract = "x" * 5000
    with pytest.raises(StoreError) as caught:
        store.add_papers(big, listing="day:2025-03-18")
    assert "disk is full" in str(caught.value) and "\n" not in str(caught.value)
    assert [p.key for p in store.library()] == ["arxiv:2503.00001"]  # the whole fetch rolled back
    assert store.saved_listing("day:2025-03-18") is None
    conn.execute("PRAGMA max_page_count = 1073741823")
    store.add_papers(big[:3])
    assert store.papers.count() == 4
    store.close()


WRITER = """
import sys
from reader.library.store import Store
from reader.model import Paper
store = Store(sys.argv[1])
store.open()
for batch in range(20):
    store.add_papers([Paper(title=f"{sys.argv[2]} {batch} {n}", arxiv_id=f"25{sys.argv[3]}.{batch * 50 + n:05d}",
                            published="2025-03-18") for n in range(50)], listing=f"{sys.argv[2]}:{batch}")
store.close()
"""


def test_two_readers_adding_at_once_lose_nothing(tmp_path: Path) -> None:
    Store(tmp_path).open()
    root = Path(__file__).resolve().parent.parent
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), name, month], cwd=root,
                         stderr=subprocess.PIPE, text=True)
        for name, month in (("first", "01"), ("second", "02"))
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    with Store(tmp_path) as store:
        assert store.papers.count() == 2000
        assert len(store.listing_names()) == 40
        assert len(store.saved_listing("second:19").papers) == 50  # type: ignore[union-attr]
