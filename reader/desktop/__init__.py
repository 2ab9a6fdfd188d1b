"""The user's machine around the reader: the web browser and the system clipboard."""

from reader.faces import lazy_face

__all__, __getattr__ = lazy_face(__name__, {
    "browser": ["open_in_browser"],
    "clipboard": ["copy_link", "copy_to_system", "system_clipboard_reachable"],
})
