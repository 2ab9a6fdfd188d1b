"""Copying and opening a paper's links from a screen, saying each time where the link went."""

from __future__ import annotations

from functools import partial

from textual.message import Message
from textual.screen import Screen

from reader.model import Paper


class Copied(Message):
    """The system clipboard copy is done: ``message`` says where the link went."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


class LinkActions:
    """The `c`, `y`, `o`, `O` and `Y` keys' work for ``screen``, which shows each ``Copied``."""

    def __init__(self, screen: Screen[None]) -> None:
        self._screen = screen

    def copy_code(self, paper: Paper) -> None:
        if url := self._code_url(paper):
            self._copy(url, "code link")

    def copy_hf_link(self, paper: Paper) -> None:
        self._copy(paper.hf_url, "Hugging Face link")

    def open_paper(self, paper: Paper) -> None:
        self._open(paper.hf_url, "paper")

    def open_code(self, paper: Paper) -> None:
        if url := self._code_url(paper):
            self._open(url, "code link")

    def copy_as(self, paper: Paper, letter: str) -> None:
        """`Y` then ``letter``: copy the paper as that letter's choice, or say what it lacks."""
        from reader.export import copy_choice  # BibTeX and the rest: loaded on the first copy

        choice = copy_choice(paper, letter)
        if choice is None:
            return
        if choice.text is None:
            self._screen.notify(choice.missing, severity="warning", markup=False)
        else:
            self._copy(choice.text, choice.label)

    def copy(self, text: str, label: str) -> None:
        """Copy any ``text`` (a link from the links view), saying where it went."""
        self._copy(text, label)

    def open_url(self, url: str, label: str) -> None:
        """Open any link in the browser, or show it when there is no browser here."""
        self._open(url, label)

    def _code_url(self, paper: Paper) -> str | None:
        """The paper's code link; says so when it has none."""
        if not paper.code_url:
            self._screen.notify("This paper has no code link.", severity="warning")
        return paper.code_url

    def _copy(self, text: str, label: str) -> None:
        """Through the terminal at once; pyperclip may shell out to a clipboard tool, so
        the system copy runs off the event loop."""
        app = self._screen.app
        app.copy_to_clipboard(text)  # in a browser tab, the page puts it on the user's clipboard
        if app.is_web:  # the server's clipboard is not the user's
            self._screen.notify(f"Copied {label} through the browser: {text}", timeout=6, markup=False)
            return
        self._screen.run_worker(
            partial(self._copy_to_system, text, label),
            thread=True, group="clipboard", description="copy to the system clipboard",
        )

    def _copy_to_system(self, text: str, label: str) -> None:
        from reader.desktop import copy_link  # the clipboard's tools: looked for on the first copy

        result = copy_link(text, label, terminal_copy=lambda _: None)
        self._screen.post_message(Copied(result.message))

    def _open(self, url: str, label: str) -> None:
        from reader.desktop import open_in_browser  # the browser: looked for on the first open

        app = self._screen.app
        if app.is_web and url.startswith(("https://", "http://")):
            app.open_url(url)  # the page opens it in the user's browser, not the server's
            self._screen.notify(f"Opened the {label} in a new browser tab.", timeout=3, markup=False)
        elif not app.is_web and open_in_browser(url):
            self._screen.notify(f"Opened the {label} in the browser.", timeout=3, markup=False)
        else:
            self._screen.notify(f"No browser to open here; the {label} is {url} (y/c copy it).", timeout=10,
                                markup=False)
