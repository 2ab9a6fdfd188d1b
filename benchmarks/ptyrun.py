"""Run a terminal program in a real pseudo-terminal and time when text appears on it.

The program gets a pty of a fixed size (``TIOCSWINSZ``) and ``TERM=xterm-256color``, like
a terminal emulator would give it. Everything it writes is read as it comes, decoded, and
searched with escape sequences stripped (a styled line is text cut up by SGR codes and
cursor moves; stripped, each painted line is contiguous text again). A needle's time is
when the read that completed it returned, measured from just before the spawn.
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
from dataclasses import dataclass, field
from pathlib import Path

# CSI (with private/intermediate bytes), OSC and DCS/APC/PM strings, and two-byte escapes.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[P^_][^\x1b]*\x1b\\"
    r"|\x1b[()][0-9A-Za-z]"
    r"|\x1b[@-Z\\-_=>78]"
)

CLK_TCK = os.sysconf("SC_CLK_TCK")


def strip_escapes(text: str) -> str:
    return _ESCAPES.sub("", text)


def vm_hwm_kb(pid: int | str) -> int | None:
    """Peak resident set size (``VmHWM``) of a live process, in KB.

    Preferred to ``ru_maxrss`` from ``wait4``: on Linux that one also counts the parent's
    resident set at spawn (subprocess uses vfork, and exec folds the borrowed mm's
    high-water mark into the child's), so a child of a big parent looks big.
    """
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def _cpu_ticks(pid: int) -> int | None:
    """utime+stime of ``pid`` in clock ticks (Linux ``/proc``), ``None`` when unknown."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    fields = raw[raw.rindex(b")") + 2 :].split()
    return int(fields[11]) + int(fields[12])


@dataclass
class PtyRun:
    found: dict[str, float] = field(default_factory=dict)  # needle -> seconds after spawn
    idle_at: float | None = None  # when the CPU went idle after the last needle
    quit_sent_at: float | None = None
    exited_at: float | None = None
    exit_code: int | None = None
    killed: bool = False
    maxrss_kb: int | None = None  # peak RSS (VmHWM, last read before the quit key)
    wait4_maxrss_kb: int | None = None  # ru_maxrss from wait4 (includes the parent's RSS at spawn)
    output_bytes: int = 0
    tail: str = ""  # the end of the stripped output, for error messages


def run(
    argv: list[str],
    needles: list[str],
    *,
    cols: int = 120,
    rows: int = 40,
    timeout: float = 120.0,
    wait_idle: bool = False,
    idle_window: float = 0.4,
    quit_key: bytes = b"q",
    quit_timeout: float = 15.0,
    env: dict[str, str] | None = None,
) -> PtyRun:
    """Spawn ``argv`` in a pty, wait for every needle (and, with ``wait_idle``, for the
    process to stop using CPU), send ``quit_key`` and reap it, killing it after
    ``quit_timeout``. Needles not seen within ``timeout`` are missing from ``found``.
    """
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    child_env = {k: v for k, v in (env or os.environ).items() if not k.startswith(("TEXTUAL", "COLUMNS", "LINES"))}
    child_env.pop("COLORTERM", None)
    child_env["TERM"] = "xterm-256color"
    child_env.pop("PAPER_READER_DATA_DIR", None)
    result = PtyRun()
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    pending = ""  # undecoded-escape tail carried to the next read
    text = ""  # stripped output so far
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=child_env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    pid = proc.pid
    status = None
    rusage = None
    longest = max((len(n) for n in needles), default=0)
    eof = False
    try:
        deadline = t0 + timeout
        last_ticks: int | None = None
        last_tick_change = 0.0
        next_cpu_poll = 0.0
        phase_done = False
        while True:
            now = time.perf_counter()
            if not phase_done:
                if len(result.found) == len(needles):
                    if not wait_idle:
                        phase_done = True
                    else:
                        if now >= next_cpu_poll:
                            hwm = vm_hwm_kb(pid)
                            if hwm is not None:
                                result.maxrss_kb = max(result.maxrss_kb or 0, hwm)
                            ticks = _cpu_ticks(pid)
                            next_cpu_poll = now + 0.05
                            if ticks != last_ticks:
                                last_ticks, last_tick_change = ticks, now
                            elif now - last_tick_change >= idle_window:
                                result.idle_at = last_tick_change - t0
                                phase_done = True
                if now > deadline:
                    phase_done = True
                if phase_done:
                    hwm = vm_hwm_kb(pid)
                    if hwm is not None:
                        result.maxrss_kb = max(result.maxrss_kb or 0, hwm)
                    result.quit_sent_at = time.perf_counter() - t0
                    try:
                        os.write(master, quit_key)
                    except OSError:
                        pass
                    deadline = time.perf_counter() + quit_timeout
            elif now > deadline and status is None:
                result.killed = True
                os.killpg(pid, signal.SIGKILL)  # our child's own session: nothing else
                deadline = now + 10
            if eof:
                ready = []
                time.sleep(0.005)
            else:
                ready, _, _ = select.select([master], [], [], 0.01)
            if ready:
                try:
                    chunk = os.read(master, 1 << 16)
                except OSError:  # EIO: every copy of the slave is closed
                    chunk = b""
                if not chunk:
                    eof = True
                stamp = time.perf_counter() - t0
                if chunk:
                    result.output_bytes += len(chunk)
                    raw = pending + decoder.decode(chunk)
                    # Keep an escape sequence cut off by the read for the next one.
                    esc = raw.rfind("\x1b")
                    pending = ""
                    if esc >= 0 and len(raw) - esc < 256 and not _ESCAPES.match(raw, esc):
                        raw, pending = raw[:esc], raw[esc:]
                    start = max(0, len(text) - longest)
                    text += strip_escapes(raw)
                    for needle in needles:
                        if needle not in result.found and text.find(needle, start) >= 0:
                            result.found[needle] = stamp
            if status is None:
                wpid, wstatus, ru = os.wait4(pid, os.WNOHANG)
                if wpid == pid:
                    status, rusage = wstatus, ru
                    result.exited_at = time.perf_counter() - t0
            if status is not None and not ready:
                break
    finally:
        if status is None:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _, status, rusage = os.wait4(pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        os.close(master)
    result.exit_code = proc.returncode
    result.wait4_maxrss_kb = rusage.ru_maxrss if rusage is not None else None
    if result.maxrss_kb is None:
        result.maxrss_kb = result.wait4_maxrss_kb
    result.tail = text[-300:]
    return result
