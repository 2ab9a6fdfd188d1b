"""The reader in a browser tab: the command each browser session runs, and the web server
(textual-serve, an optional extra) that runs it."""

from reader.faces import lazy_face

__all__, __getattr__ = lazy_face(__name__, {
    "launch": ["exposure_warning", "is_loopback", "page_url", "reader_command"],
    "server": ["serve"],
})
