"""Copying with no clipboard tool and with a dead X display: the terminal copy still happens."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pyperclip
import pytest

from reader.cli import make_app
from reader.desktop.clipboard import copy_link, copy_to_system, system_clipboard_reachable

URL = "https://github.com/GAIR-NLP/alignment-for-honesty"


def dead_display() -> str:
    """An X display number nothing listens on."""
    for number in range(90, 200):
        if not Path(f"/tmp/.X11-unix/X{number}").exists():
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", 6000 + number)) != 0:
                    return f":{number}"
    pytest.fail("no free X display number")


@pytest.fixture
def restore_pyperclip():
    yield
    pyperclip.determine_clipboard()


def test_no_clipboard_mechanism_still_copies_through_the_terminal(restore_pyperclip) -> None:
    pyperclip.set_clipboard("no")
    sent: list[str] = []
    result = copy_link(URL, "code link", terminal_copy=sent.append)
    assert sent == [URL]
    assert not result.system
    assert "through the terminal" in result.message and URL in result.message


@pytest.mark.skipif(shutil.which("xclip") is None, reason="xclip is installed by .ci/run")
def test_a_dead_x_display_is_detected_and_prints_nothing(monkeypatch, capfd, restore_pyperclip) -> None:
    monkeypatch.setenv("DISPLAY", dead_display())
    pyperclip.set_clipboard("xclip")
    assert not system_clipboard_reachable()
    assert copy_to_system(URL) is False
    assert capfd.readouterr().err == "", "a clipboard tool wrote over the reader's screen"


def test_a_live_display_is_reachable(monkeypatch, tmp_path: Path) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        if port < 6000:
            pytest.skip("the free port is below the X range")
        monkeypatch.setenv("DISPLAY", f"127.0.0.1:{port - 6000}")
        assert system_clipboard_reachable()


async def test_c_in_the_app_without_a_clipboard_tells_the_user(data_dir: Path, monkeypatch, restore_pyperclip) -> None:
    monkeypatch.setenv("DISPLAY", dead_display())
    app = make_app(["--sample", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("G", "c")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert app.clipboard == URL
        notes = [n.message for n in app._notifications]
        assert any("through the terminal" in n and URL in n for n in notes)
        assert app.is_running


def test_any_failure_of_the_clipboard_tool_is_no_clipboard(monkeypatch) -> None:
    def broken(text: str) -> None:
        raise RuntimeError("the tool fell over")

    monkeypatch.setattr(pyperclip, "copy", broken)
    monkeypatch.setattr("reader.desktop.clipboard.system_clipboard_reachable", lambda: True)
    assert copy_to_system(URL) is False
