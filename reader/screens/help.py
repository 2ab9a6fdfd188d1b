"""The help screen: every binding of the reader, read from the bindings themselves."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from reader.screens.keys_in_force import in_force, keymap_of, keys_by_action
from reader.widgets import AbstractPane, PaperList, SearchBar

SEARCH_HELP = (
    ("words", "match title, abstract or authors; all must match"),
    ('"a phrase"', "match the words together"),
    ("-word", "exclude papers with the word"),
    ("title:word  author:name", "match in one field"),
    ("is:read  is:unread  is:bookmarked", "filter by your marks"),
    ("has:code", "papers with a code link"),
    ("has:model  has:dataset  has:space", "papers known to have one on the Hub"),
    ("-is:bookmarked  -has:code", "the opposite of a filter"),
    ('"is:read"  "-shot"', "quoted text is searched as typed"),
)


def reader_groups(screen: Screen[None]) -> list[tuple[str, list[Binding]]]:
    """The bindings in force on the reading ``screen``, grouped by the pane they act in,
    with the keys the keymap gives them."""
    app = screen.app
    app_bindings = list(Binding.make_bindings(app.BINDINGS))
    if not any(binding.action == "command_palette" for binding in app_bindings):
        app_bindings.append(Binding(app.COMMAND_PALETTE_BINDING, "command_palette", "Command palette"))
    keymap = keymap_of(app)
    return [
        (group, in_force(bindings, keymap))
        for group, bindings in (
            ("list", PaperList.BINDINGS),
            ("reader", screen.BINDINGS),
            ("search bar", SearchBar.BINDINGS),
            ("abstract pane", AbstractPane.BINDINGS),
            ("app", app_bindings),
        )
    ]


def bindings_table(
    groups: Iterable[tuple[str, Iterable[Binding]]], key_display: Callable[[Binding], str]
) -> Table:
    """A table of ``(group, bindings)``; keys sharing an action are joined on one row."""
    table = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for group, bindings in groups:
        table.add_row(Text(f"[{group}]", style="bold"), "")  # Text: brackets are not markup
        for (_, description), same in keys_by_action(Binding.make_bindings(bindings)).items():
            table.add_row(" ".join(key_display(binding) for binding in same), description)
        table.add_row("", "")
    table.add_row(Text("[search]", style="bold"), "")
    for syntax, meaning in SEARCH_HELP:
        table.add_row(syntax, meaning)
    return table


class HelpScreen(ModalScreen[None]):
    """Lists what every key does; any of escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close help", id="dismiss")]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90; max-width: 100%; height: 90%; border: round $accent; padding: 0 1;
        background: $surface;
    }
    """

    def __init__(self, groups: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self._groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("paper-reader — keys", classes="help-title")
            yield Static(bindings_table(self._groups, self.app.get_key_display), id="help-table")
