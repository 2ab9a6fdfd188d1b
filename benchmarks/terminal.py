"""A program driven in a real pseudo-terminal: keys sent at chosen moments, text waited for.

``ptyrun.run`` times one start; a session needs more: type a search a given time after the
first paint, wait until its result is on screen, scroll, read the process's peak memory
just before quitting, or kill it. The screen is read as ``ptyrun`` reads it (decoded,
escape sequences stripped), and a needle's time is when the read that completed it
returned.
"""

from __future__ import annotations

import codecs
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from pathlib import Path

from ptyrun import _ESCAPES, _cpu_ticks, strip_escapes, vm_hwm_kb


class Terminal:
    """``argv`` running in a ``cols``×``rows`` pty; times are seconds since the spawn."""

    def __init__(self, argv: list[str], env: dict[str, str], cols: int = 120, rows: int = 40) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        child_env = {k: v for k, v in env.items() if not k.startswith(("TEXTUAL", "COLUMNS", "LINES"))}
        child_env.pop("COLORTERM", None)
        child_env.pop("PAPER_READER_DATA_DIR", None)
        child_env["TERM"] = "xterm-256color"
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""
        self.text = ""  # everything shown so far, stripped
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=child_env,
                                     start_new_session=True, close_fds=True)
        os.close(slave)
        self.master = master
        self.pid = self.proc.pid
        self.status: int | None = None

    def now(self) -> float:
        return time.perf_counter() - self.t0

    def _read(self, timeout: float) -> bool:
        """Read what is there (waiting up to ``timeout``); False once the program is gone."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return self._alive()
        try:
            chunk = os.read(self.master, 1 << 16)
        except OSError:
            chunk = b""
        if not chunk:
            self._alive()
            return False
        raw = self._pending + self._decoder.decode(chunk)
        esc = raw.rfind("\x1b")
        self._pending = ""
        if esc >= 0 and len(raw) - esc < 256 and not _ESCAPES.match(raw, esc):
            raw, self._pending = raw[:esc], raw[esc:]
        self.text += strip_escapes(raw)
        return True

    def _alive(self) -> bool:
        if self.status is None:
            pid, status, _ = os.wait4(self.pid, os.WNOHANG)
            if pid == self.pid:
                self.status = status
        return self.status is None

    def wait_for(self, pattern: str | re.Pattern[str], timeout: float, start: int = 0) -> float | None:
        """The time the first match of ``pattern`` at or after ``start`` in the text was on
        screen, waiting up to ``timeout`` seconds; None when it never came."""
        regex = pattern if isinstance(pattern, re.Pattern) else re.compile(re.escape(pattern))
        deadline = time.perf_counter() + timeout
        while True:
            if regex.search(self.text, max(0, start)):
                return self.now()
            if time.perf_counter() > deadline or not self._read(0.01):
                return self.now() if regex.search(self.text, max(0, start)) else None

    def pump(self, seconds: float) -> None:
        """Keep reading the screen for ``seconds``."""
        end = time.perf_counter() + seconds
        while time.perf_counter() < end and self._read(0.01):
            pass

    def wait_idle(self, window: float = 0.4, timeout: float = 120.0) -> float:
        """Read on until the program has used no CPU for ``window`` seconds; returns when
        it went idle."""
        deadline = time.perf_counter() + timeout
        last, changed = _cpu_ticks(self.pid), time.perf_counter()
        while time.perf_counter() < deadline:
            self.pump(0.05)
            ticks = _cpu_ticks(self.pid)
            if ticks != last:
                last, changed = ticks, time.perf_counter()
            elif time.perf_counter() - changed >= window:
                break
        return changed - self.t0

    def send(self, keys: str | bytes) -> None:
        os.write(self.master, keys.encode() if isinstance(keys, str) else keys)

    def type(self, text: str, gap: float = 0.06) -> float:
        """Type ``text`` a key at a time, ``gap`` seconds apart; returns the time of the last key."""
        at = self.now()
        for i, char in enumerate(text):
            if i:
                self.pump(gap)
            at = self.now()
            self.send(char)
        return at

    def peak_rss_mb(self) -> float | None:
        kb = vm_hwm_kb(self.pid)
        return kb / 1024 if kb is not None else None

    def write_bytes(self) -> int | None:
        """Bytes the program has written to files and pipes so far (``wchar``)."""
        try:
            for line in Path(f"/proc/{self.pid}/io").read_text().splitlines():
                if line.startswith("wchar:"):
                    return int(line.split()[1])
        except (OSError, ValueError):
            pass
        return None

    def quit(self, key: bytes = b"q", timeout: float = 20.0) -> int | None:
        """Send ``key`` and reap the program (killed after ``timeout``); its exit code."""
        try:
            self.send(key)
        except OSError:
            pass
        deadline = time.perf_counter() + timeout
        while self._alive() and time.perf_counter() < deadline:
            self._read(0.02)
        return self.close()

    def kill(self) -> None:
        """SIGKILL the program, as a crash or a closed terminal would end it."""
        if self._alive():
            os.killpg(self.pid, signal.SIGKILL)
        self.close()

    def close(self) -> int | None:
        if self.status is None:
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _, self.status, _ = os.wait4(self.pid, 0)
        try:
            os.close(self.master)
        except OSError:
            pass
        self.proc.returncode = os.waitstatus_to_exitcode(self.status)
        return self.proc.returncode
