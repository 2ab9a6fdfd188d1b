"""The user's settings: the config file (keymap, theme, start view, sync folder), read with
its problems reported as one-line messages, printed in full, and the theme saved back."""

from reader.faces import lazy_face

__all__, __getattr__ = lazy_face(__name__, {
    "config": [
        "DEFAULT_THEME", "DEFAULT_START_VIEW", "START_VIEWS", "ConfigError", "Settings",
        "default_config_path", "load_settings", "render_config",
    ],
    "theme_line": ["save_theme"],
})
