"""The links view (`l`): every link of a paper, numbered; a digit or `enter` opens one,
`y` copies the highlighted one, `escape` closes."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.screens.link_actions import LinkActions
from reader.sources import PaperLink

MAX_NUMBERED = 9  # digits 1-9 open a link at once; the rest are reached with the cursor


def link_row(number: int, link: PaperLink) -> Text:
    """``3  PDF  https://…``: the URL shown literally (it may hold brackets)."""
    text = Text(f"{number:>2}  " if number <= MAX_NUMBERED else "    ", style="bold cyan")
    text.append(f"{link.label:<18} ", style="bold")
    text.append(link.url)
    return text


class LinksScreen(ModalScreen[None]):
    """The links of one paper; opening and copying go through the main screen's ``LinkActions``."""

    BINDINGS = [
        Binding("escape", "close_links", "Close links", id="close_links"),
        Binding("y", "copy_link", "Copy link", id="copy_link"),
    ]

    DEFAULT_CSS = """
    LinksScreen { align: center middle; }
    LinksScreen > Vertical {
        width: 100; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; padding: 0 1; background: $surface;
    }
    LinksScreen #links-title { text-style: bold; }
    LinksScreen #links-hint { color: $text-muted; }
    LinksScreen OptionList { height: auto; max-height: 30; border: none; }
    """

    def __init__(self, title: str, links: Sequence[PaperLink], actions: LinkActions) -> None:
        super().__init__()
        self.title_text = title
        self.links = list(links)
        self._actions = actions

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text), id="links-title")
            yield OptionList(*(Option(link_row(n, link)) for n, link in enumerate(self.links, 1)), id="links")
            yield Static("1-9 or enter: open · y: copy · escape: close", id="links-hint")

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#links", OptionList)

    @property
    def highlighted(self) -> PaperLink | None:
        index = self.option_list.highlighted
        return self.links[index] if index is not None and 0 <= index < len(self.links) else None

    def on_mount(self) -> None:
        if self.links:
            self.option_list.highlighted = 0

    def on_key(self, event: events.Key) -> None:
        """A digit opens that link (digits are not bindings: one binding id per number
        would not survive a keymap)."""
        if event.character and event.character in "123456789":
            event.stop()
            index = int(event.character) - 1
            if index < len(self.links):
                self._open(self.links[index])
            else:
                self.notify(f"No link {event.character}: this paper has {len(self.links)}.",
                            severity="warning", markup=False)

    @on(OptionList.OptionSelected)
    def _on_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.links):
            self._open(self.links[event.option_index])

    def _open(self, link: PaperLink) -> None:
        self._actions.open_url(link.url, link.label)
        self.dismiss(None)

    def action_copy_link(self) -> None:
        if (link := self.highlighted) is not None:
            self._actions.copy(link.url, link.label)

    def action_close_links(self) -> None:
        self.dismiss(None)
