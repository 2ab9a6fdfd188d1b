"""``config.toml``: what it may hold, how it is read, and how it is printed in full.

A setting the reader does not know, or of the wrong type, is a problem to report in one
line, never a reason not to start. A file that is not TOML at all is an error: the caller
decides whether that is fatal (``--config FILE``) or a warning (the default file).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from reader.model import ReaderError

APP_NAME = "paper-reader"
CONFIG_FILE = "config.toml"
DEFAULT_THEME = "textual-dark"
START_VIEWS = ("daily", "weekly", "monthly", "trending", "library")
DEFAULT_START_VIEW = "daily"

_TOP_LEVEL = ("theme", "start_view", "keys", "sync")
_SYNC_KEYS = ("folder",)
_AT_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


class ConfigError(ReaderError):
    """The config file cannot be read or is not TOML; the message is one line."""


@dataclass
class Settings:
    """The settings in force. ``keys`` maps a binding id to its keys, comma-separated, as
    the file wrote them; ``problems`` are one-line reports of what was ignored."""

    path: Path
    keys: dict[str, str] = field(default_factory=dict)
    theme: str = DEFAULT_THEME
    start_view: str = DEFAULT_START_VIEW
    sync_folder: Path | None = None
    problems: list[str] = field(default_factory=list)


def default_config_path() -> Path:
    """``config.toml`` in the platform's user config dir (honours ``XDG_CONFIG_HOME``)."""
    return Path(platformdirs.user_config_dir(APP_NAME)) / CONFIG_FILE


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def read_toml(path: Path) -> dict[str, Any]:
    """The file's TOML, or :class:`ConfigError` naming the line and column that is wrong."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    import tomllib  # only when there is a file to read: most starts have none

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = _AT_LINE.search(message)
        if where is None:
            raise ConfigError(f"{path}: {message}") from None
        line, column = where.groups()
        raise ConfigError(f"{path} line {line}, column {column}: {message[: where.start()]}") from None


def load_settings(path: Path | None = None) -> Settings:
    """The settings of ``path`` (default: the user's config file, absent means defaults).

    Raises :class:`ConfigError` when the file exists but cannot be read as TOML, or when
    an explicit ``path`` does not exist.
    """
    explicit = path is not None
    path = Path(path).expanduser() if path is not None else default_config_path()
    settings = Settings(path)
    if not explicit and not path.exists():
        return settings
    doc = read_toml(path)
    _apply(settings, doc, path.name)
    return settings


def _apply(settings: Settings, doc: Mapping[str, Any], name: str) -> None:
    problems = settings.problems
    for key in doc:
        if key not in _TOP_LEVEL:
            problems.append(f"{name}: unknown setting {key!r} ignored")
    theme = doc.get("theme")
    if theme is not None:
        if isinstance(theme, str) and theme.strip():
            settings.theme = theme.strip()
        else:
            problems.append(f"{name}: theme must be a theme's name, not {_type_name(theme)}")
    view = doc.get("start_view")
    if view is not None:
        if isinstance(view, str) and view.strip().lower() in START_VIEWS:
            settings.start_view = view.strip().lower()
        else:
            shown = repr(view) if isinstance(view, str) else _type_name(view)
            problems.append(f"{name}: start_view {shown} ignored; one of {', '.join(START_VIEWS)}")
    _apply_keys(settings, doc.get("keys"), name)
    _apply_sync(settings, doc.get("sync"), name)


def _apply_keys(settings: Settings, keys: Any, name: str) -> None:
    if keys is None:
        return
    if not isinstance(keys, dict):
        settings.problems.append(f"{name}: [keys] must be a table, not {_type_name(keys)}")
        return
    for binding_id, value in keys.items():
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            value = ",".join(value)
        if not isinstance(value, str):
            settings.problems.append(f"{name}: keys.{binding_id} must be a key or keys, not {_type_name(value)}")
            continue
        pieces = [piece.strip() for piece in value.split(",")]
        if not all(pieces) or any(" " in piece for piece in pieces):
            settings.problems.append(f"{name}: keys.{binding_id} = {value!r} is not a key or comma-separated keys")
            continue
        settings.keys[binding_id] = ",".join(pieces)


def _apply_sync(settings: Settings, sync: Any, name: str) -> None:
    if sync is None:
        return
    if not isinstance(sync, dict):
        settings.problems.append(f"{name}: [sync] must be a table, not {_type_name(sync)}")
        return
    for key in sync:
        if key not in _SYNC_KEYS:
            settings.problems.append(f"{name}: unknown setting sync.{key} ignored")
    folder = sync.get("folder")
    if folder is None:
        return
    if not isinstance(folder, str):
        settings.problems.append(f"{name}: sync.folder must be a folder's path, not {_type_name(folder)}")
    elif folder.strip():
        settings.sync_folder = Path(folder.strip()).expanduser()


def toml_string(text: str) -> str:
    """A TOML basic string: JSON's escaping is a subset TOML reads the same way."""
    return json.dumps(text, ensure_ascii=False)


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_string(key)


def render_config(settings: Settings, default_keys: Mapping[str, str]) -> str:
    """The settings in force as a TOML file, every default filled in: each binding id in
    ``default_keys`` with its keys (the file's where it moved them)."""
    keys = {**default_keys, **settings.keys}
    lines = [
        f"# paper-reader settings in force (from {settings.path})",
        f"theme = {toml_string(settings.theme)}",
        f"start_view = {toml_string(settings.start_view)}  # {' | '.join(START_VIEWS)}",
        "",
        "[keys]  # binding id = one key or comma-separated keys",
        *(f"{_toml_key(binding_id)} = {toml_string(value)}" for binding_id, value in keys.items()),
        "",
        "[sync]  # a folder your sync tool keeps equal on every machine; empty: no sync",
        f"folder = {toml_string(str(settings.sync_folder) if settings.sync_folder else '')}",
    ]
    return "\n".join(lines) + "\n"
