"""The floor: a minimal Textual app with one static widget.

Its cold start (interpreter, Textual import, driver start, first frame) is what any Textual
app pays; the reader's first paint is reported as a multiple of it. ``j``/``k`` change the
text, so the in-process benchmark can measure Textual's own key-to-frame floor with it too.
``q`` quits.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static

READY_TEXT = "bare textual app ready"


class BareApp(App[None]):
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("j", "step(1)", "Down"),
        Binding("k", "step(-1)", "Up"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def compose(self) -> ComposeResult:
        yield Static(READY_TEXT, id="text")

    def action_step(self, delta: int) -> None:
        self.count += delta
        self.query_one("#text", Static).update(f"{READY_TEXT} · {self.count}")


if __name__ == "__main__":
    BareApp().run()
