"""config.toml: what it holds, how it is read, its problems reported, and --print-config."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest

from reader.cli import build_parsers, main, read_settings, start_request
from reader.settings import ConfigError, default_config_path, load_settings, save_theme
from reader.settings.theme_line import with_theme


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_default_file_lives_in_the_xdg_config_dir(tmp_path: Path) -> None:
    assert default_config_path() == tmp_path / "xdg-config" / "paper-reader" / "config.toml"


def test_no_file_means_defaults() -> None:
    settings = load_settings()
    assert (settings.keys, settings.theme, settings.start_view, settings.sync_folder) == ({}, "textual-dark", "daily", None)
    assert settings.problems == []


def test_every_setting_is_read(tmp_path: Path) -> None:
    write(default_config_path(), """
theme = "nord"
start_view = "Weekly"
[keys]
toggle_read = "x"
cursor_down = "n, down"
open_paper = ["w", "ctrl+o"]
[sync]
folder = "~/Sync/paper-reader"
""")
    settings = load_settings()
    assert settings.theme == "nord" and settings.start_view == "weekly"
    assert settings.keys == {"toggle_read": "x", "cursor_down": "n,down", "open_paper": "w,ctrl+o"}
    assert settings.sync_folder == Path("~/Sync/paper-reader").expanduser()
    assert settings.problems == []


def test_unknown_and_mistyped_settings_are_reported_one_line_each(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", """
theme = 42
colour = "red"
start_view = "yearly"
[keys]
toggle_read = 3
help = "a b"
[sync]
folder = 7
interval = 3
""")
    settings = load_settings(path)
    assert settings.theme == "textual-dark" and settings.start_view == "daily"
    assert settings.keys == {} and settings.sync_folder is None
    problems = settings.problems
    assert len(problems) == 7 and all("\n" not in p for p in problems)
    joined = "\n".join(problems)
    for part in ("theme must be a theme's name, not a number", "'colour'", "'yearly'", "keys.toggle_read",
                 "keys.help", "sync.folder", "sync.interval"):
        assert part in joined, part


def test_a_broken_default_file_is_one_line_naming_line_and_column_and_defaults_are_used() -> None:
    write(default_config_path(), 'theme = "nord"\n[keys\n')
    args = build_parsers()[0].parse_args([])
    settings = read_settings(args)
    assert settings.theme == "textual-dark"
    (problem,) = settings.problems
    assert "line 2, column" in problem and "config.toml" in problem


def test_a_broken_config_option_fails(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.toml", "theme = \n")
    with pytest.raises(ConfigError, match=r"line 1, column 9"):
        load_settings(path)
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(tmp_path / "missing.toml")
    write(tmp_path / "latin.toml", "").write_bytes(b'theme = "caf\xe9"\n')
    with pytest.raises(ConfigError, match="UTF-8"):
        load_settings(tmp_path / "latin.toml")


def test_the_cli_exits_2_with_one_line_on_a_broken_config_option(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.toml", "[keys]\ntoggle_read = \n")
    result = subprocess.run(
        [sys.executable, "-m", "reader", "--config", str(path), "--sample"],
        capture_output=True, text=True, timeout=60, env=os.environ.copy(),
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "line 2, column 15" in result.stderr
    assert "Traceback" not in result.stderr


def test_print_config_prints_valid_toml_with_every_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "c.toml", '[keys]\ntoggle_read = "x"\nnope = "z"\n[sync]\nfolder = "/sync"\n')
    assert main(["--print-config", "--config", str(path)]) == 0
    out, err = capsys.readouterr()
    doc = tomllib.loads(out)
    assert doc["theme"] == "textual-dark" and doc["start_view"] == "daily"
    assert doc["keys"]["toggle_read"] == "x"
    assert doc["keys"]["toggle_bookmark"] == "b" and doc["keys"]["quit"] == "q"
    assert "nope" not in doc["keys"] and "keys.nope" in err
    assert doc["sync"] == {"folder": "/sync"}
    assert main(["--print-config"]) == 0
    assert tomllib.loads(capsys.readouterr().out)["sync"] == {"folder": ""}


def test_print_config_of_a_broken_option_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--print-config", "--config", str(write(tmp_path / "b.toml", "= 1\n"))]) == 2
    assert "line 1, column 1" in capsys.readouterr().err


@pytest.mark.parametrize(("view", "kind", "label"), [
    ("daily", "latest", None), ("library", "library", None), ("weekly", "live", "week"),
    ("monthly", "live", "month"), ("trending", "live", "trending"),
])
def test_the_start_view_picks_the_start_request(view: str, kind: str, label: str | None) -> None:
    parser = build_parsers()[0]
    request = start_request(parser.parse_args([]), view, date(2025, 3, 18))
    assert request.kind == kind
    assert (request.period.kind if request.period else None) == label
    if view == "weekly":
        assert request.period is not None and request.period.value == "2025-W12"


def test_a_source_option_wins_over_the_start_view() -> None:
    parser = build_parsers()[0]
    assert start_request(parser.parse_args(["--sample"]), "weekly").kind == "sample"
    assert start_request(parser.parse_args(["--offline"]), "trending").kind == "library"
    request = start_request(parser.parse_args(["--month", "2025-02"]), "weekly")
    assert request.period is not None and request.period.value == "2025-02"


# the theme line -------------------------------------------------------------------------

COMMENTED = """\
# my settings, by hand
start_view = "weekly"  # mornings

# my keys, newsboat's
[keys]
toggle_read = "N"   # like newsboat
"""


def test_saving_the_theme_adds_it_before_the_first_table_keeping_comments(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", COMMENTED)
    save_theme(path, "nord")
    text = path.read_text()
    assert text == COMMENTED.replace("\n# my keys", '\ntheme = "nord"\n\n# my keys')
    assert load_settings(path).theme == "nord" and load_settings(path).keys == {"toggle_read": "N"}
    save_theme(path, "dracula")
    assert path.read_text() == text.replace('"nord"', '"dracula"')


def test_saving_the_theme_rewrites_only_its_line(tmp_path: Path) -> None:
    original = 'theme = "nord"  # dark\n[keys]\ntheme = "x"\n'
    path = write(tmp_path / "config.toml", original)
    save_theme(path, "gruvbox")
    assert path.read_text() == 'theme = "gruvbox"  # dark\n[keys]\ntheme = "x"\n'
    assert not [p for p in tmp_path.iterdir() if p.name != "config.toml"]  # no temp file left


def test_saving_the_theme_creates_the_file() -> None:
    path = default_config_path()
    save_theme(path, "nord")
    assert path.read_text() == 'theme = "nord"\n'
    assert with_theme("a = 1", "x") == 'a = 1\ntheme = "x"\n'


def test_saving_the_theme_leaves_a_broken_file_alone(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", "[keys\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        save_theme(path, "nord")
    assert path.read_text() == "[keys\n"

