"""The command line as a user runs it: the installed entry point, in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args: str, data_dir: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PAPER_READER_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def test_export_sample_json_has_all_31_papers_right(data_dir: Path) -> None:
    done = run("export", "--sample", "--format", "json", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    papers = json.loads(done.stdout)
    assert len(papers) == 31
    by_title = {p["title"]: p for p in papers}
    spell = by_title["The Unlocking Spell on Base LLMs: Rethinking Alignment via In-Context Learning"]
    assert (spell["author_count"], spell["published"], spell["upvotes"]) == (8, "2023-12-03", 4)
    honesty = by_title["Alignment for Honesty"]
    assert honesty["code_url"] == "https://github.com/GAIR-NLP/alignment-for-honesty"
    assert honesty["id"] is None and honesty["key"].startswith("title:")
    nudging = by_title["Nudging: Inference-time Alignment via Model Collaboration"]
    assert (nudging["code_url"], nudging["project_url"]) == (None, "https://fywalter.github.io/nudging/")
    for field in ("id", "key", "title", "authors", "author_count", "published", "upvotes", "abstract",
                  "code_url", "project_url", "hf_url", "arxiv_url", "read", "bookmarked"):
        assert field in honesty, field
    assert sum(1 for p in papers if p["code_url"]) == 11


@pytest.mark.parametrize(
    "args, words",
    [
        (["--date", "2025-02-30"], "2025-02-30"),
        (["--date", "yesterday"], "yesterday"),
        (["--week", "2025-W54"], "2025-W54"),
        (["--month", "2025-13"], "2025-13"),
        (["--frobnicate"], "--frobnicate"),
        (["--file", "/nonexistent/page.html"], "page.html"),
        (["export", "--format", "yaml"], "yaml"),
        (["export", "--file", "/nonexistent/page.html"], "page.html"),
        (["--sample", "--trending"], "not allowed"),
        (["--search", "   "], "empty search"),
        (["export", "--search", ""], "empty search"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], words: str, data_dir: Path) -> None:
    done = run(*args, data_dir=data_dir)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert words in lines[0]
    assert "Traceback" not in done.stderr


def test_a_file_that_is_no_page_is_refused(tmp_path: Path, data_dir: Path) -> None:
    page = tmp_path / "notes.txt"
    page.write_text("just a grocery list\n- milk\n")
    done = run("export", "--file", str(page), data_dir=data_dir)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1


def test_export_of_the_library_after_marks_filters_and_writes_a_file(tmp_path: Path, data_dir: Path) -> None:
    from reader.session.loader import sample_papers
    from reader.library.store import Store

    store = Store(data_dir)
    store.open()
    papers = store.add_papers(sample_papers())
    store.set_bookmarked(papers[-1], True)
    store.set_read(papers[-1], True)
    store.set_read(papers[0], True)
    store.close()
    out = tmp_path / "marks.json"
    done = run("export", "--bookmarked", "-o", str(out), data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    exported = json.loads(out.read_text())
    assert [(p["title"], p["read"], p["bookmarked"]) for p in exported] == [("Alignment for Honesty", True, True)]
    unread = json.loads(run("export", "--unread", data_dir=data_dir).stdout)
    assert len(unread) == 29
    read = run("export", "--read", "--format", "csv", data_dir=data_dir).stdout
    assert len(read.strip().splitlines()) == 3


def test_version_and_help(data_dir: Path) -> None:
    from reader import __version__

    assert run("--version", data_dir=data_dir).stdout.strip() == f"paper-reader {__version__}"
    helped = run("--help", data_dir=data_dir)
    assert helped.returncode == 0 and "--offline" in helped.stdout
    export_help = run("export", "--help", data_dir=data_dir)
    assert "--bookmarked" in export_help.stdout and "bibtex" in export_help.stdout


def test_export_of_a_list_never_saved_fails_offline_instead_of_writing_another(data_dir: Path) -> None:
    done = run("export", "--offline", "--date", "2025-03-18", data_dir=data_dir)
    assert done.returncode == 2 and done.stdout == ""
    assert "no saved copy" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_export_offline_with_a_period_uses_the_saved_copy(data_dir: Path) -> None:
    from reader.session.loader import sample_papers
    from reader.library.store import Store

    store = Store(data_dir)
    store.open()
    store.add_papers(sample_papers()[:3], listing="day:2025-03-18")
    store.close()
    done = run("export", "--offline", "--date", "2025-03-18", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 3
    assert "offline" in done.stderr
