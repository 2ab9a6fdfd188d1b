"""Copying a link: through the terminal (OSC 52, works over SSH and in tmux) and pyperclip.

pyperclip raises when the machine has no clipboard tool, and with ``DISPLAY`` pointing at a
dead X server its tools fail without a word (and print to the terminal the reader is drawn
in). So a dead display is detected first, errors are caught, and the copy is checked by
reading it back: the user is told the truth about where the link went.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass



@dataclass(slots=True)
class CopyResult:
    """Where the text went, and the one line to tell the user."""

    text: str
    system: bool
    message: str


def _x_display_alive(display: str) -> bool:
    """Whether an X server answers at ``display`` (``:0``, ``unix:1.0``, ``host:10``)."""
    host, _, rest = display.rpartition(":")
    number = rest.split(".", 1)[0]
    if not number.isdigit():
        return False
    try:
        if host in ("", "unix"):
            path = f"/tmp/.X11-unix/X{number}"
            with socket.socket(socket.AF_UNIX) as sock:
                sock.settimeout(0.5)
                try:
                    sock.connect(path)
                except OSError:
                    sock.connect("\0" + path)  # Linux abstract socket
            return True
        with socket.create_connection((host, 6000 + int(number)), timeout=0.5):
            return True
    except OSError:
        return False


def system_clipboard_reachable() -> bool:
    """False when the only clipboard pyperclip could use sits behind a dead X display."""
    if not sys.platform.startswith("linux") or os.environ.get("WAYLAND_DISPLAY"):
        return True
    display = os.environ.get("DISPLAY")
    return not display or _x_display_alive(display)


def copy_to_system(text: str) -> bool:
    """Put ``text`` on the system clipboard with pyperclip; False when there is none that works."""
    if not system_clipboard_reachable():
        return False
    import pyperclip  # on the first copy, not on the way to the first frame

    try:
        pyperclip.copy(text)
        return pyperclip.paste() == text
    except Exception:  # a clipboard tool's failure of any kind: the terminal copy stands
        return False


def copy_link(
    text: str,
    label: str,
    terminal_copy: Callable[[str], None],
    system_copy: Callable[[str], bool] = copy_to_system,
) -> CopyResult:
    """Copy ``text`` both ways; the message names it so it can be selected by hand if need be."""
    terminal_copy(text)
    if system_copy(text):
        return CopyResult(text, True, f"Copied {label}: {text}")
    return CopyResult(
        text, False, f"Copied {label} through the terminal (no system clipboard here): {text}"
    )
