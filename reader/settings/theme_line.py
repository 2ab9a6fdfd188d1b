"""Saving the theme into ``config.toml`` without disturbing the rest of it.

Only the top-level ``theme = ...`` line is rewritten (its trailing comment kept), or one is
added before the first table; every other line and comment stays as the user wrote it.
The file is replaced atomically, and never with text that would not read back.
"""

from __future__ import annotations

import re
from pathlib import Path

from reader.library import atomic_write
from reader.settings.config import ConfigError, toml_string

_TABLE = re.compile(r"^\s*\[")
_THEME = re.compile(r"""^(\s*theme\s*=\s*)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s#]*)(.*)$""")
_COMMENT = re.compile(r"^\s*#")


def with_theme(text: str, name: str) -> str:
    """``text`` with its top-level theme set to ``name``."""
    lines = text.splitlines(keepends=True)
    value = toml_string(name)
    first_table = next((i for i, line in enumerate(lines) if _TABLE.match(line)), len(lines))
    for i in range(first_table):
        match = _THEME.match(lines[i].rstrip("\r\n"))
        if match:
            ending = lines[i][len(lines[i].rstrip("\r\n")):] or "\n"
            lines[i] = f"{match.group(1)}{value}{match.group(3)}{ending}"
            return "".join(lines)
    at = first_table
    while at > 0 and _COMMENT.match(lines[at - 1]):
        at -= 1  # a table's own comment stays right above it
    if at == len(lines) and lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    insert = [f"theme = {value}\n"]
    if at < len(lines):
        insert.append("\n")  # a blank line between the new setting and the table
    lines[at:at] = insert
    return "".join(lines)


def save_theme(path: Path, name: str) -> None:
    """Write ``name`` as the theme of the config file at ``path`` (created when missing).

    Raises :class:`ConfigError` when the file cannot be read, is not TOML (it is left as it
    is rather than half-repaired), or cannot be written.
    """
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot save the theme: cannot read {path}: {exc}") from None
    new = with_theme(text, name)
    import tomllib  # when a theme is saved, not at start

    try:
        if tomllib.loads(new).get("theme") != name:
            raise ConfigError(f"cannot save the theme: {path} has a theme line the reader cannot rewrite")
    except tomllib.TOMLDecodeError:
        raise ConfigError(f"cannot save the theme: {path} is not valid TOML; fix it first") from None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, new.encode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot save the theme to {path}: {exc.strerror or exc}") from None
