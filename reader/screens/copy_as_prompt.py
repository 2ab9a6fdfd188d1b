"""The pending `Y`: a one-line prompt over the footer that waits for the letter saying what
to copy; `escape` or any other key cancels it."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.export import COPY_AS


def prompt_text() -> Text:
    """``Copy as: i arXiv id · b BibTeX entry · … (escape cancels)``, the letters in bold."""
    text = Text("Copy as: ", style="bold")
    for n, (letter, label) in enumerate(COPY_AS.items()):
        if n:
            text.append(" · ")
        text.append(letter, style="bold cyan")
        text.append(f" {label}")
    text.append("  (escape cancels)", style="dim")
    return text


class CopyAsPrompt(ModalScreen[str | None]):
    """Dismissed with the letter pressed when it is a choice of ``COPY_AS``, else with None."""

    DEFAULT_CSS = """
    CopyAsPrompt { align: center bottom; background: transparent; }
    CopyAsPrompt > #copy-as-prompt {
        dock: bottom; height: 1; width: 100%; background: $accent; color: $text; padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(prompt_text(), id="copy-as-prompt")

    def on_key(self, event: events.Key) -> None:
        """Every key ends the prompt: a choice's letter picks it, anything else cancels."""
        event.stop()
        event.prevent_default()
        letter = event.character if event.character in COPY_AS else None
        if letter is None:
            self.notify("Copy cancelled.", timeout=2)
        self.dismiss(letter)
