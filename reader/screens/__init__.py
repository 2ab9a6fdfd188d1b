"""The reader's screens: the main reading screen and the key help."""

from reader.screens.help import HelpScreen
from reader.screens.main import MainScreen

__all__ = ["HelpScreen", "MainScreen"]
