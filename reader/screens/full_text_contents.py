"""The full text's table of contents (`t`): every section's heading, indented by depth;
`enter` jumps to one, `escape` closes."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.sources import Section


class ContentsScreen(ModalScreen[int | None]):
    """Dismissed with the chosen section's number, or None."""

    BINDINGS = [Binding("escape,t", "close_contents", "Close contents", id="close_contents")]

    DEFAULT_CSS = """
    ContentsScreen { align: center middle; }
    ContentsScreen > Vertical {
        width: 90; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; padding: 0 1; background: $surface;
    }
    ContentsScreen OptionList { height: auto; max-height: 40; border: none; }
    """

    def __init__(self, sections: Sequence[Section], current: int) -> None:
        super().__init__()
        self.sections = list(sections)
        self.current = current

    def compose(self) -> ComposeResult:
        shallowest = min((s.level for s in self.sections if s.level > 0), default=1)
        rows = [
            Option(Text("  " * max(0, section.level - shallowest) + section.title))
            for section in self.sections
        ]
        with Vertical():
            yield Static(Text("Contents", style="bold"))
            yield OptionList(*rows, id="contents")

    def on_mount(self) -> None:
        contents = self.query_one("#contents", OptionList)
        if self.sections:
            contents.highlighted = min(self.current, len(self.sections) - 1)

    @on(OptionList.OptionSelected)
    def _on_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_index)

    def action_close_contents(self) -> None:
        self.dismiss(None)
