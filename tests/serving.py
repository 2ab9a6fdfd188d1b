"""`paper-reader serve` in a subprocess on a free loopback port, for the serve tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

READER = Path(sys.executable).parent / "paper-reader"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    """The server process, its address once it says it listens, and what it printed."""

    def __init__(self, args: Sequence[str], env: Mapping[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process = subprocess.Popen(
            [str(READER), "serve", *args, "--port", str(self.port)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, **(env or {})},
        )
        self.first_line = ""
        reader = threading.Thread(target=self._read_first_line, daemon=True)
        reader.start()
        reader.join(timeout=30)
        if self.url not in self.first_line:
            self.process.kill()
            _, err = self.process.communicate()
            raise AssertionError(f"serve did not start: {self.first_line!r} {err!r}")

    def _read_first_line(self) -> None:
        assert self.process.stdout is not None
        self.first_line = self.process.stdout.readline()

    def interrupt(self, timeout: float = 10) -> tuple[int, str]:
        """ctrl+c: the exit status (within ``timeout``) and what it wrote to stderr."""
        self.process.send_signal(signal.SIGINT)
        _, err = self.process.communicate(timeout=timeout)
        return self.process.returncode, err

    def stop(self) -> None:
        """End the server if it still runs: ctrl+c first, so its sessions' readers end too
        (a killed server leaves them running), then SIGKILL."""
        if self.process.returncode is not None:
            return  # interrupted and read already
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
