"""paper-reader: a keyboard-driven terminal reader for Hugging Face papers."""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
