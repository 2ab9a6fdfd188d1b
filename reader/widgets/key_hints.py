"""The footer: the keys that work where the focus is, as one line of text.

Textual's ``Footer`` mounts a widget per key and recomposes them on every focus change,
which cost ~80 ms of the reader's start; one line of text says the same.
"""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.widget import Widget


class KeyHints(Widget):
    """Shown bindings of the focused widget and its ancestors, then the palette key."""

    COMPONENT_CLASSES = {"key-hints--key", "key-hints--description"}

    DEFAULT_CSS = """
    KeyHints {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-hints--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        & > .key-hints--description { color: $footer-description-foreground; background: $footer-description-background; }
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-hints--key")
        description_style = self.get_component_rich_style("key-hints--description")
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        bindings = self.screen.active_bindings
        seen: set[str] = set()
        for _node, binding, enabled, _tooltip in bindings.values():
            if not (binding.show and binding.description and enabled) or binding.action in seen:
                continue
            seen.add(binding.action)
            line.append(f" {self.app.get_key_display(binding)} ", key_style)
            line.append(f"{binding.description} ", description_style)
        palette = next((b for b in bindings.values() if b.binding.action == "command_palette"), None)
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            hint = Text.assemble((f" {self.app.get_key_display(palette.binding)} ", key_style), ("palette ", description_style))
            gap = self.size.width - line.cell_len - hint.cell_len
            if gap > 0:
                line.append(" " * gap)
                line.append_text(hint)
        return line
