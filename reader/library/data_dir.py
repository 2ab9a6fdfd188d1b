"""Where the user's data lives and what the data dir holds."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

STATE_FILE = "state.json"
"""The marks."""
LISTINGS_FILE = "listings.json"
"""The saved lists."""
DATABASE_FILE = "library.sqlite3"
"""The library's papers, saved lists' order and the Hub's answers (SQLite)."""
LIBRARY_DIR = "library"
"""Where older readers kept the library, one file a month (``YYYY-MM.json``, ``undated.json``);
moved into ``library.sqlite3`` on open."""


def default_data_dir() -> Path:
    """``$PAPER_READER_DATA_DIR`` when set, else the platform's user data dir."""
    env = os.environ.get("PAPER_READER_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("paper-reader"))
