"""A one-line question over the footer (`:` a period, `S` a Hugging Face search): `enter`
answers with what was typed, `escape` cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input


class LinePrompt(ModalScreen[str | None]):
    """Dismissed with the text typed (``enter``), or None (``escape``)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel_prompt")]

    DEFAULT_CSS = """
    LinePrompt { align: center bottom; background: transparent; }
    LinePrompt > Input { dock: bottom; height: 1; border: none; padding: 0 1; background: $accent 30%; }
    """

    def __init__(self, placeholder: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Input(placeholder=self._placeholder, id="prompt-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
