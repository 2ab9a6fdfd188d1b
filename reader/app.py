"""The Textual app: a store, a source and a request in, the main screen pushed. Nothing else."""

from __future__ import annotations

from typing import TYPE_CHECKING

import gc
from collections.abc import Iterable, Sequence
from datetime import date
from functools import partial

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from reader.library import save_first_screen
from reader.model import ReaderError
from reader.library import FirstScreen
from reader.session import Listing, Request
from reader.library import Store
from reader.resources import stylesheet
from reader.screens.main import MainScreen

if TYPE_CHECKING:
    from reader.sources import LiveSource


class PaperReaderApp(App[None]):
    """paper-reader's terminal UI."""

    CSS_PATH = stylesheet()
    TITLE = "paper-reader"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [Binding("q", "quit", "Quit")]

    def __init__(
        self,
        store: Store,
        request: Request,
        live: LiveSource | None = None,
        *,
        initial: Listing | None = None,
        warnings: Sequence[str] = (),
        today: date | None = None,
        first: FirstScreen | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self._screen_args = (store, request, live, initial, today, first)
        self._warnings = list(warnings)
        self.quit_messages: list[str] = []
        """What the user must hear after the terminal is restored: marks not saved, and where
        they were kept instead."""

    def on_mount(self) -> None:
        self.push_screen(MainScreen(*self._screen_args))
        for warning in self._warnings:
            self.notify(warning, severity="warning", timeout=15)

    def on_unmount(self) -> None:
        """Write the marks (a second at most: what cannot be saved is kept aside and said),
        then keep the library's first screen for the next start."""
        was_open = self.store.is_open
        self.quit_messages = self.store.close()
        if was_open and not self.store.marks.unsaved:
            try:
                save_first_screen(self.store)
            except (ReaderError, OSError):
                pass  # only a cache: the next start opens the store as usual
        gc.enable()  # paused for start-up; on again even when no frame was painted

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers every described binding of the screen, by name."""
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        for binding in Binding.make_bindings(getattr(screen, "BINDINGS", [])):
            if binding.description and binding.action not in seen:
                seen.add(binding.action)
                yield SystemCommand(
                    binding.description,
                    f"key: {self.get_key_display(binding)}",
                    partial(screen.run_action, binding.action),
                )
