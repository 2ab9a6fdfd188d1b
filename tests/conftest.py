"""Keeps every test away from the user's real data dir, clipboard and the internet."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.sources.live import LiveSource
from httpserver import FixtureServer

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_SAMPLE = Path(__file__).parent.parent / "reader" / "sample" / "hf-papers-search-alignment.txt"


def _closed_port() -> int:
    """A loopback port nobody listens on: the live source fails fast, never reaching out."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data_dir = tmp_path / "data"
    monkeypatch.setenv("PAPER_READER_DATA_DIR", str(data_dir))
    monkeypatch.setenv("PAPER_READER_BASE_URL", f"http://127.0.0.1:{_closed_port()}")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    return data_dir


@pytest.fixture
def data_dir(isolated_env: Path) -> Path:
    return isolated_env


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    """A real HTTP server on 127.0.0.1 with no routes yet (tests add them)."""
    with FixtureServer() as running:
        yield running


@pytest.fixture
def live(server: FixtureServer) -> Iterator[LiveSource]:
    """The live source pointed at ``server``, with short timeouts so failures are quick."""
    with LiveSource(server.url, connect_timeout=2, read_timeout=2, deadline=4) as source:
        yield source
