"""Opening a link in a graphical browser, and only a graphical one.

Python's ``webbrowser`` falls back to console browsers (lynx, w3m, …) that would take over
the terminal the reader is drawn in; over SSH there is no browser at all. So a browser is
asked for only where a display exists, and the caller is told when there is none.
"""

from __future__ import annotations

import os
import sys
import webbrowser

_CONSOLE_BROWSERS = {"www-browser", "links", "elinks", "lynx", "w3m"}


def has_graphical_browser() -> bool:
    """True where a desktop browser can appear: macOS, Windows, or a display on Linux/BSD."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_in_browser(url: str) -> bool:
    """Open ``url``; False when no graphical browser took it."""
    if not url.startswith(("https://", "http://")) or not has_graphical_browser():
        return False
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    if getattr(browser, "name", "") in _CONSOLE_BROWSERS:
        return False
    try:
        return bool(browser.open(url, new=2))
    except (webbrowser.Error, OSError):
        return False
