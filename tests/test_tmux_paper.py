"""The paper behind the abstract, end to end as a person uses it: the installed reader in
tmux against the local HTTP server (counts, the links view, copying, the full text), then
all of it again with the server gone."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from httpserver import FixtureServer, Reply, fixture_json
from test_artefacts import details
from test_tmux_e2e import READER, Tmux, pytestmark, tmux_factory  # noqa: F401  (skipped without tmux)

FIXTURES = Path(__file__).parent / "fixtures"
DAPO = "2503.14476"
TITLE = "DAPO: An Open-Source LLM Reinforcement Learning System at Scale"


def buffer_becomes(term: Tmux, wanted: str, timeout: float = 10) -> str:
    """tmux's paste buffer once it holds ``wanted`` (the reader copies through OSC 52)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and wanted not in term.tmux("show-buffer"):
        time.sleep(0.2)
    return term.tmux("show-buffer")


def test_counts_links_copies_and_full_text_then_offline(tmux_factory, data_dir: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    routes = {
        "/api/daily_papers": Reply.json(fixture_json("api-daily-2025-03-18.json")),
        f"/api/papers/{DAPO}": Reply.json(details()),
        f"/papers/{DAPO}.md": Reply.text((FIXTURES / "paper-md-written.md").read_text(encoding="utf-8"),
                                         content_type="text/markdown"),
    }
    with FixtureServer(routes) as server:
        monkeypatch.setenv("PAPER_READER_BASE_URL", server.url)
        term = tmux_factory(140, 45)
        term.start(f"{READER} --date 2025-03-18")
        term.wait_for("Hub 12 models · 1 dataset · 2 Spaces")
        term.keys("l")
        term.wait_for("https://huggingface.co/spaces/other/demo2")
        term.keys("Down", "Down", "Down", "Down", "Down")
        term.keys("y")
        assert buffer_becomes(term, "https://huggingface.co/org/big").strip() == "https://huggingface.co/org/big"
        term.keys("Escape")
        for letter, wanted in (("i", DAPO), ("h", f"https://huggingface.co/papers/{DAPO}"),
                               ("c", "https://github.com/BytedTsinghua-SIA/DAPO"), ("t", TITLE),
                               ("m", f"[{TITLE}](https://huggingface.co/papers/{DAPO})")):
            term.keys("Y")
            term.keys(letter)
            assert buffer_becomes(term, wanted).strip() == wanted, letter
        term.keys("Y")
        term.keys("b")
        bibtex = buffer_becomes(term, "@").strip()
        term.keys("f")
        term.wait_for("Sparse Routers Learn [bold]Fast[/bold]")
        term.keys("Escape")
        term.keys("q")
        term.wait_for("READER-EXITED-0")
        asked = [p for p in server.paths() if p.startswith("/api/papers/")]
        assert asked == [f"/api/papers/{DAPO}"]

    exported = subprocess.run([str(READER), "export", "--offline", "--date", "2025-03-18", "--format", "bibtex"],
                              capture_output=True, text=True, env=term.env, timeout=60)
    assert exported.returncode == 0, exported.stderr
    assert bibtex.startswith("@") and bibtex in exported.stdout  # the same entry as the export gives

    offline = tmux_factory(140, 45)
    offline.start(f"{READER} --date 2025-03-18")  # the server is gone: nothing answers
    offline.wait_for("Hub 12 models · 1 dataset · 2 Spaces")
    offline.keys("l")
    offline.wait_for("https://huggingface.co/datasets/org/math-17k")
    offline.keys("Escape")
    offline.keys("f")
    offline.wait_for("Sparse Routers Learn [bold]Fast[/bold]")
    offline.keys("Escape")
    offline.keys("q")
    offline.wait_for("READER-EXITED-0")
