"""The config's [keys] moving bindings: pressed through Pilot, and shown where keys are listed."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from textual.binding import Binding

from reader.app import PaperReaderApp
from reader.cli import make_app
from reader.screens.help import HelpScreen
from reader.screens.keymap import binding_groups, check_keymap, default_keys
from reader.screens.main import MainScreen
from reader.settings import default_config_path

from test_app_keys import ready


def config(text: str) -> None:
    path = default_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def groups():  # type: ignore[no-untyped-def]
    return binding_groups(PaperReaderApp.BINDINGS)


def test_every_binding_has_an_id_and_no_two_places_share_one() -> None:
    owner: dict[str, str] = {}
    for place, bindings in groups():
        for binding in Binding.make_bindings(bindings):
            assert binding.id, (place, binding.action)
            assert owner.setdefault(binding.id, place) == place, binding.id
    for contract in ("toggle_read", "toggle_bookmark", "copy_code", "copy_hf_link", "unread_only",
                     "bookmarks_only", "open_paper", "open_code", "help", "quit", "reload"):
        assert contract in owner


def test_the_default_keys_clash_nowhere() -> None:
    keymap, problems = check_keymap({}, groups())
    assert keymap == {} and problems == []
    assert default_keys(groups())["cursor_down"] == "down,j"


def test_unknown_ids_and_keys_bound_twice_are_reported() -> None:
    keymap, problems = check_keymap({"toggle_red": "x", "toggle_read": "u", "help": "?"}, groups())
    assert keymap == {"toggle_read": "u", "help": "question_mark"}
    assert len(problems) == 2
    assert "keys.toggle_red" in problems[0]
    assert "'u'" in problems[1] and "toggle_read takes it from unread_only" in problems[1]


def test_a_key_shared_with_the_list_says_which_runs() -> None:
    _, problems = check_keymap({"toggle_bookmark": "j"}, groups())
    in_list, in_abstract = problems
    assert "cursor_down and toggle_bookmark" in in_list and "in the list cursor_down runs" in in_list
    assert "in the abstract pane scroll_down runs" in in_abstract


async def test_a_remapped_key_does_the_action_and_the_old_key_nothing(data_dir: Path) -> None:
    config('[keys]\ntoggle_read = "x"\ntoggle_bookmark = "ctrl+b, X"\nunread_only = "r"\n')
    app = make_app(["--sample", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        paper = screen.paper_list.current
        assert paper is not None
        await pilot.press("x")
        assert screen.store.mark(paper).read
        await pilot.press("b")
        assert not screen.store.mark(paper).bookmarked  # b moved away
        await pilot.press("ctrl+b")
        assert screen.store.mark(paper).bookmarked
        await pilot.press("X")
        assert not screen.store.mark(paper).bookmarked
        await pilot.press("r")  # now unread only: the read paper leaves the list
        assert screen.unread_only
        assert paper not in screen.paper_list.papers
        assert not any("bound twice" in n.message for n in app._notifications)  # r was freed


async def test_help_footer_and_palette_show_the_keys_in_force(data_dir: Path) -> None:
    config('[keys]\ntoggle_read = "x"\nhelp = "h"\ncommand_palette = "ctrl+k"\n')
    app = make_app(["--sample", "--data-dir", str(data_dir)])
    async with app.run_test(size=(160, 60)) as pilot:
        screen = await ready(pilot)
        footer = screen.query_one("KeyHints").render().plain
        assert " x Read " in footer and " r Read " not in footer
        assert " h Help " in footer and "^k palette" in footer
        commands = {c.title: c.help for c in app.get_system_commands(screen)}
        assert commands["Read"] == "key: x" and commands["Help"] == "key: h"
        await pilot.press("question_mark")
        assert app.screen is screen  # ? no longer opens help
        await pilot.press("h")
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=120, record=True)
        console.print(app.screen.query_one("#help-table").content)
        rows = {line.split(maxsplit=1)[-1].strip(): line.split()[0] for line in console.export_text().splitlines() if line.strip()}
        assert rows["Read"] == "x" and rows["Help"] == "h" and rows["Command palette"] == "^k"
        await pilot.press("escape")
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert app.screen is not screen and not isinstance(app.screen, MainScreen)


async def test_config_problems_are_notifications_and_the_reader_starts(data_dir: Path) -> None:
    config('colour = "red"\ntheme = "no-such-theme"\n[keys]\nfly = "f"\n')
    app = make_app(["--sample", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        messages = [n.message for n in app._notifications]
        assert any("'colour'" in m for m in messages)
        assert any("keys.fly" in m for m in messages)
        assert any("unknown theme 'no-such-theme'" in m for m in messages)
        assert app.theme == "textual-dark"


async def test_the_theme_chosen_is_saved_and_used_next_start(data_dir: Path) -> None:
    config('# mine\n[keys]\ntoggle_read = "x"  # newsboat\n')
    app = make_app(["--sample", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.theme = "nord"  # what the palette's "Change theme" does on a choice
        await pilot.pause()
        await pilot.pause()
    assert default_config_path().read_text() == 'theme = "nord"\n\n# mine\n[keys]\ntoggle_read = "x"  # newsboat\n'
    again = make_app(["--sample", "--data-dir", str(data_dir)])
    async with again.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert again.theme == "nord"


def test_textual_still_keeps_the_keymap_where_help_and_the_palette_read_it() -> None:
    """``keymap_of`` reads ``App._keymap``: a Textual that moves it must fail here first."""
    from textual.app import App

    from reader.screens.keys_in_force import keymap_of

    app: App[None] = App()
    app.set_keymap({"toggle_read": "?"})
    assert keymap_of(app) == {"toggle_read": "question_mark"}
