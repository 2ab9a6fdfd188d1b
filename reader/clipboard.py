"""Copying a link: through the terminal (OSC 52, works over SSH and in tmux) and pyperclip.

pyperclip raises when the machine has no clipboard tool, and with ``DISPLAY`` pointing at a
dead X server its tools fail without a word; both are caught, and the copy is checked by
reading it back, so the user is told the truth about where the link went.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyperclip


@dataclass(slots=True)
class CopyResult:
    """Where the text went, and the one line to tell the user."""

    text: str
    system: bool
    message: str


def copy_to_system(text: str) -> bool:
    """Put ``text`` on the system clipboard with pyperclip; False when there is none that works."""
    try:
        pyperclip.copy(text)
        return pyperclip.paste() == text
    except (pyperclip.PyperclipException, OSError, UnicodeError):
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
