"""The Textual app: a store, a source and a request in, the main screen pushed. Nothing else."""

from __future__ import annotations

from typing import TYPE_CHECKING

import asyncio
import gc
import signal
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
    from collections.abc import Callable

    from rich.console import RenderableType

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
        self.live = live
        self._screen_args = (store, request, live, initial, today, first)
        self._warnings = list(warnings)

    def on_mount(self) -> None:
        self._on_sigterm(self.exit)
        self.push_screen(MainScreen(*self._screen_args))
        for warning in self._warnings:
            self.notify(warning, severity="warning", timeout=15)

    @staticmethod
    def _on_sigterm(handler: Callable[[], object] | None) -> None:
        """SIGTERM quits like `q` (terminal restored, marks written); ``None`` undoes it.

        Only the main thread's loop can take signals: elsewhere the default stays."""
        try:
            loop = asyncio.get_running_loop()
            if handler is None:
                loop.remove_signal_handler(signal.SIGTERM)
            else:
                loop.add_signal_handler(signal.SIGTERM, handler)
        except (RuntimeError, ValueError, NotImplementedError):
            pass

    def exit(self, result: None = None, return_code: int = 0, message: RenderableType | None = None) -> None:
        """Quit without waiting for the network: a request in flight is abandoned and no
        other is made, so the process ends as soon as the marks are written."""
        if self.live is not None:
            self.live.close()
        super().exit(result, return_code, message)

    def on_unmount(self) -> None:
        """Write the marks, then keep the library's first screen for the next start."""
        self._on_sigterm(None)
        if self.live is not None:
            self.live.close()
        if self.store.is_open:
            try:
                self.store.flush()
                save_first_screen(self.store)
            except (ReaderError, OSError):
                pass  # the marks' own error was shown when they failed to save; close retries
        self.store.close()
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
