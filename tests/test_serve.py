"""`paper-reader serve`: its options, the command each browser session runs, what it says,
what it refuses, and how it stops. The page in a real browser is in test_serve_browser.py."""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from reader.cli import build_parsers, build_serve_parser, request_for, source_argv
from reader.session import sample_papers
from reader.web import exposure_warning, is_loopback, page_url, reader_command
from serving import Served, free_port

SOURCES = [
    [],
    ["--sample"],
    ["--offline"],
    ["--date", "2025-03-18"],
    ["--week", "2025-W12", "--offline"],
    ["--month", "2025-03"],
    ["--trending"],
    ["--search", "-rlhf  \"reward model\" it's $(x)"],
    ["--file", "saved page.html"],
]


def run_reader(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})})


@pytest.mark.parametrize("source", SOURCES, ids=lambda argv: " ".join(argv) or "none")
def test_each_tab_runs_the_reader_with_the_same_source_and_data_dir(source: list[str], tmp_path: Path) -> None:
    served = build_serve_parser().parse_args([*source, "--port", "8123"])
    argv = source_argv(served, tmp_path / "data")
    again = build_parsers()[0].parse_args(argv)
    if served.file is not None:
        assert served.file == Path("saved page.html") and again.file == Path.cwd() / "saved page.html"
        served.file = again.file
    assert request_for(again, default="latest") == request_for(served, default="latest")
    assert again.offline == served.offline
    assert again.data_dir == tmp_path / "data"


def test_host_and_port_default_to_this_machine_and_8000() -> None:
    args = build_serve_parser().parse_args(["--sample"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)
    args = build_serve_parser().parse_args(["--host", "::1", "--port", "9000"])
    assert (args.host, args.port) == ("::1", 9000)


@pytest.mark.parametrize("port", ["0", "65536", "http", "-1"])
def test_a_bad_port_is_one_line_and_status_2(port: str, data_dir: Path) -> None:
    done = run_reader("-m", "reader", "serve", "--sample", "--port", port)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "port number" in done.stderr, done.stderr


def test_serve_options_exclude_each_other_like_the_readers(data_dir: Path) -> None:
    done = run_reader("-m", "reader", "serve", "--sample", "--trending")
    assert done.returncode == 2 and "not allowed with" in done.stderr


def test_the_command_is_this_python_and_reader_with_every_argument_kept_whole(tmp_path: Path) -> None:
    odd = tmp_path / "data dir 'with' \"quotes\" $(touch pwned) ; x"
    command = reader_command(["export", "--sample", f"--data-dir={odd}"])
    assert shlex.split(command) == [sys.executable, "-m", "reader", "export", "--sample", f"--data-dir={odd}"]
    done = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (odd / "library.sqlite3").is_file() and not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("host", ["127.0.0.1", "127.3.2.1", "::1", "[::1]", "localhost", "LOCALHOST"])
def test_loopback_hosts_need_no_warning(host: str) -> None:
    assert is_loopback(host) and exposure_warning(host) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "10.0.0.1", "example.org", ""])
def test_any_other_host_is_warned_about(host: str) -> None:
    warning = exposure_warning(host)
    assert not is_loopback(host) and warning is not None
    assert "anyone who can reach" in warning and "marks" in warning and "\n" not in warning


def test_page_url_brackets_an_ipv6_address() -> None:
    assert page_url("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert page_url("::1", 8001) == "http://[::1]:8001/"
    assert page_url("localhost", 80) == "http://localhost:80/"


def test_a_non_local_host_is_warned_about_on_the_command_line(data_dir: Path) -> None:
    # 192.0.2.1 (TEST-NET-1) is nobody's address: the warning is printed, then nothing listens.
    done = run_reader("-m", "reader", "serve", "--sample", "--host", "192.0.2.1", "--port", str(free_port()))
    lines = done.stderr.splitlines()
    assert done.returncode == 2, done.stderr
    assert len(lines) == 2 and "Traceback" not in done.stderr
    assert lines[0].startswith("paper-reader: warning: listening on 192.0.2.1: anyone who can reach")
    assert lines[1].startswith("paper-reader: error: cannot listen on 192.0.2.1 port")
    assert "serving on" not in done.stdout


def test_a_port_in_use_is_one_line_and_status_2(data_dir: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_reader("-m", "reader", "serve", "--sample", "--port", str(port))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == f"paper-reader: error: cannot listen on 127.0.0.1 port {port}: Address already in use\n"


def test_a_bad_file_fails_before_serving(tmp_path: Path, data_dir: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body>no papers here</body></html>")
    done = run_reader("-m", "reader", "serve", "--file", str(page), "--port", str(free_port()))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("paper-reader: error:") and done.stderr.count("\n") == 1, done.stderr


def test_an_unusable_data_dir_fails_before_serving(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("")
    done = run_reader("-m", "reader", "serve", "--sample", "--data-dir", str(not_a_dir), "--port", str(free_port()))
    assert done.returncode == 2 and done.stdout == ""
    assert "cannot use data dir" in done.stderr and done.stderr.count("\n") == 1, done.stderr


def test_without_textual_serve_it_says_how_to_install_it(data_dir: Path) -> None:
    blocked = ("import sys; sys.modules['textual_serve'] = None; from reader.cli import main; "
               "raise SystemExit(main(['serve', '--sample']))")
    done = run_reader("-c", blocked)
    assert done.returncode == 2
    assert done.stderr == "paper-reader: error: serve needs textual-serve: pip install 'paper-reader[serve]'\n"


def test_the_ordinary_reader_never_imports_the_web_server(data_dir: Path) -> None:
    script = """
import asyncio, sys
from reader.cli import make_app

async def main():
    app = make_app(["--sample"])
    async with app.run_test() as pilot:
        await pilot.press("j")
        await pilot.pause()

asyncio.run(main())
print(sorted({name.split(".")[0] for name in sys.modules} & {"textual_serve", "aiohttp", "reader"}))
"""
    done = run_reader("-c", script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['reader']"


def test_serve_prints_its_address_and_stops_on_ctrl_c(data_dir: Path) -> None:
    served = Served(["--sample", "--data-dir", str(data_dir)])
    assert served.first_line == f"paper-reader: serving on {served.url} (ctrl+c stops)\n"
    status, err = served.interrupt(timeout=5)
    assert status == 0 and err == ""


def _readers_of(data_dir: Path) -> list[int]:
    """The processes whose command line has ``--data-dir=<data_dir>``, as a session's reader has."""
    wanted = f"--data-dir={data_dir}".encode()
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and wanted in (proc / "cmdline").read_bytes().split(b"\0"):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


async def _drawn(session: aiohttp.ClientWebSocketResponse, text: str) -> None:
    """Read the reader's output until ``text`` has been drawn."""
    drawn = b""
    while text.encode() not in drawn:
        message = await asyncio.wait_for(session.receive(), timeout=30)
        assert message.type == aiohttp.WSMsgType.BINARY, message
        drawn += message.data


async def test_ctrl_c_with_a_session_open_lets_its_reader_write_the_marks_and_quit(data_dir: Path) -> None:
    served = Served(["--sample", "--data-dir", str(data_dir)])
    try:
        async with aiohttp.ClientSession() as http:
            async with http.ws_connect(f"{served.url}ws?width=90&height=30") as session:
                await _drawn(session, "31 papers")
                await session.send_json(["stdin", "b"])
                await _drawn(session, "1 \N{BLACK STAR}")
                assert _readers_of(data_dir), "no reader process for the session"
                status, err = await asyncio.to_thread(served.interrupt, 6)
                assert status == 0 and err == "", err
                assert not _readers_of(data_dir), "the session's reader outlived the server"
    finally:
        served.stop()
    done = run_reader("-m", "reader", "export", "--bookmarked", "--data-dir", str(data_dir))
    assert [paper["title"] for paper in json.loads(done.stdout)] == [sample_papers()[0].title]


async def test_pages_of_other_sites_and_other_names_are_refused(data_dir: Path) -> None:
    served = Served(["--sample", "--data-dir", str(data_dir)])
    port = served.port
    try:
        async with aiohttp.ClientSession() as http:
            for headers in ({"Origin": "http://evil.example"},
                            {"Origin": f"http://rebound.example:{port}", "Host": f"rebound.example:{port}"}):
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await http.ws_connect(f"{served.url}ws", headers=headers)
                assert refused.value.status == 403
            async with http.get(served.url, headers={"Host": f"rebound.example:{port}"}) as page:
                assert page.status == 403
            async with http.get(served.url.replace("127.0.0.1", "localhost")) as page:
                assert page.status == 200
                text = await page.text()
                assert f'data-session-websocket-url="ws://localhost:{port}/ws"' in text
                assert "googleapis" not in text and f"http://localhost:{port}/static/fonts/" in text
            # the page's own origin is welcome
            origin = {"Origin": f"http://127.0.0.1:{port}"}
            async with http.ws_connect(f"{served.url}ws?width=90&height=30", headers=origin) as session:
                await _drawn(session, "Sample papers")
    finally:
        served.stop()
