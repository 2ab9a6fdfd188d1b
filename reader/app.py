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
from reader.screens.keymap import binding_groups, check_keymap
from reader.screens.keys_in_force import in_force, keymap_of, keys_by_action
from reader.screens.main import MainScreen
from reader.settings import DEFAULT_THEME, ConfigError, Settings, save_theme

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import RenderableType

    from reader.sources import LiveSource

SYNC_POLL = 3.0
"""Seconds between looks at the sync folder for other machines' marks."""


class PaperReaderApp(App[None]):
    """paper-reader's terminal UI."""

    CSS_PATH = stylesheet()
    TITLE = "paper-reader"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding(
            App.COMMAND_PALETTE_BINDING, "command_palette", "Command palette",
            show=False, priority=True, id="command_palette",
        ),
    ]

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
        settings: Settings | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.live = live
        self._screen_args = (store, request, live, initial, today, first)
        self._warnings = list(warnings)
        self.settings = settings
        self._saved_theme = ""
        if settings is not None:
            self._warnings += settings.problems
            keymap, problems = check_keymap(settings.keys, binding_groups(self.BINDINGS), settings.path.name)
            self._warnings += problems
            self.set_keymap(keymap)
        self.quit_messages: list[str] = []
        """What the user must hear after the terminal is restored: marks not saved, and where
        they were kept instead."""

    def _breakpoint_class(self, width: int) -> str:
        """The class Textual gives a screen ``width`` cells wide (the widest breakpoint it reaches)."""
        return max((at, name) for at, name in self.HORIZONTAL_BREAKPOINTS if width >= at)[1]

    def on_mount(self) -> None:
        self._on_sigterm(self.exit)
        if self.settings is not None:
            self._use_saved_theme(self.settings)
        screen = MainScreen(*self._screen_args)
        # The breakpoint class the first resize would give the screen, set before it is
        # styled: the resize then changes no class and restyles nothing (~10 ms before the
        # first frame). The terminal's size is known once the driver has started.
        screen.set_classes(self._breakpoint_class(self.size.width))
        # Pushed once start-up is over: Textual starts the app inside a batch update, and a
        # screen pushed in it renders its first frame there, where the frame is thrown
        # away and rendered again at the next resize (~15 ms before the first paint).
        self.call_later(self.push_screen, screen)
        if self.settings is not None and self.settings.sync_folder is not None:
            self.set_interval(SYNC_POLL, self._poll_sync)
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
    def _use_saved_theme(self, settings: Settings) -> None:
        """Start on the config's theme; from now on a change of theme is saved there."""
        if settings.theme in self.available_themes:
            self.theme = settings.theme
        else:
            self._warnings.append(f"{settings.path.name}: unknown theme {settings.theme!r}; using {DEFAULT_THEME}")
            self.theme = DEFAULT_THEME
        self._saved_theme = self.theme
        self.theme_changed_signal.subscribe(self, self._save_theme)

    def _save_theme(self, theme: object) -> None:
        name = self.theme
        if self.settings is None or name == self._saved_theme:
            return
        try:
            save_theme(self.settings.path, name)
        except ConfigError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        self._saved_theme = name

    def _poll_sync(self) -> None:
        if self.store.is_open and self.store.syncing:
            self.run_worker(self._pull_synced, thread=True, exclusive=True, group="sync", exit_on_error=False)

    def _pull_synced(self) -> None:
        """In a worker thread: merge what other machines wrote, then repaint on the UI's."""
        try:
            changed = self.store.reload_marks()
        except (ReaderError, OSError) as error:
            changed, warnings = 0, [f"cannot read synced marks: {error}"]
        else:
            warnings = self.store.take_warnings()
        self.call_from_thread(self._synced, changed, warnings)

    def _synced(self, changed: int, warnings: list[str]) -> None:
        for warning in warnings:
            self.notify(warning, severity="warning", timeout=15)
        if changed:
            for screen in self.screen_stack:
                if isinstance(screen, MainScreen):
                    screen.show_marks_changed_elsewhere()

    def on_unmount(self) -> None:
        """Write the marks (a second at most: what cannot be saved is kept aside and said),
        then keep the library's first screen for the next start."""
        self._on_sigterm(None)
        if self.live is not None:
            self.live.close()
        was_open = self.store.is_open
        self.quit_messages = self.store.close()
        if was_open and not self.store.marks.unsaved:
            try:
                save_first_screen(self.store)
            except (ReaderError, OSError):
                pass  # only a cache: the next start opens the store as usual
        gc.enable()  # paused for start-up; on again even when no frame was painted

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers every described binding of the screen, by name, with the
        keys the keymap gives it."""
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        bindings = in_force(getattr(screen, "BINDINGS", []), keymap_of(self))
        for (action, description), same in keys_by_action(bindings).items():
            if action not in seen:
                seen.add(action)
                keys = " ".join(self.get_key_display(binding) for binding in same)
                yield SystemCommand(description, f"key: {keys}", partial(screen.run_action, action))
