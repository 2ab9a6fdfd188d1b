"""Where `export` writes: never into the data dir, and a standard output that cannot be
written is one line on stderr, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli import run


@pytest.fixture
def library(data_dir: Path) -> Path:
    """A data dir with a state file and the library (the sample, one paper marked)."""
    from reader.library.store import Store
    from reader.session.loader import sample_papers

    store = Store(data_dir)
    store.open()
    store.set_read(store.add_papers(sample_papers())[0], True)
    store.close()
    assert (data_dir / "state.json").is_file() and (data_dir / "library.sqlite3").is_file()
    return data_dir


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    return lines[0]


@pytest.mark.parametrize("target", [
    "state.json",
    "library.sqlite3",
    "library/new-file.csv",
    "library/../state.json",
])
def test_export_onto_a_file_of_the_data_dir_is_refused(library: Path, target: str) -> None:
    before = snapshot(library)
    done = run("export", "--format", "csv", "-o", str(library / target), data_dir=library)
    assert done.returncode == 2
    assert "inside the data dir" in one_error_line(done)
    assert snapshot(library) == before


def test_export_through_a_link_into_the_data_dir_is_refused(library: Path, tmp_path: Path) -> None:
    before = snapshot(library)
    linked = tmp_path / "looks-harmless.json"
    linked.symlink_to(library / "state.json")
    hard = tmp_path / "hard-link.json"
    os.link(library / "state.json", hard)
    for target in (linked, hard):
        done = run("export", "-o", str(target), data_dir=library)
        assert done.returncode == 2
        assert "inside the data dir" in one_error_line(done)
    assert snapshot(library) == before


def test_export_beside_the_data_dir_is_written(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "data-export.csv"  # a name that starts like the data dir's, outside it
    done = run("export", "--format", "csv", "-o", str(out), data_dir=library)
    assert done.returncode == 0, done.stderr
    assert len(out.read_text().splitlines()) == 32


def run_with_stdout(stdout: int | None, data_dir: Path, close_stdout: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", "export", "--sample"],
        stdout=stdout, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, timeout=60,
        env={**os.environ, "PAPER_READER_DATA_DIR": str(data_dir)},
        preexec_fn=(lambda: os.close(1)) if close_stdout else None,
    )


def test_a_closed_stdout_is_one_line(data_dir: Path) -> None:
    done = run_with_stdout(None, data_dir, close_stdout=True)
    assert done.returncode in (1, 2)
    line = one_error_line(done)
    assert "standard output" in line and "None" not in line


def test_a_full_disk_on_stdout_is_one_line(data_dir: Path) -> None:
    with open("/dev/full", "w") as full:
        done = run_with_stdout(full.fileno(), data_dir)
    assert done.returncode in (1, 2)
    line = one_error_line(done)
    assert "standard output" in line and "No space left" in line


def test_a_pipe_closed_by_the_reader_is_one_line(data_dir: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `| head` that has already gone
    try:
        done = run_with_stdout(write_end, data_dir)
    finally:
        os.close(write_end)
    assert done.returncode in (1, 2)
    assert "standard output" in one_error_line(done)
