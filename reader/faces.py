"""Package faces that import a name's module only when the name is first used.

Each package's ``__init__`` re-exports what callers may use. Importing every module of a
package on first touch would pull httpx and BeautifulSoup into an offline start (~0.3 s
before the first frame), so a face maps each name to its module and loads it on demand.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def lazy_face(package: str, modules: Mapping[str, Sequence[str]]) -> tuple[list[str], Callable[[str], Any]]:
    """``(__all__, __getattr__)`` for ``package``, whose ``modules`` (by inner name) hold the
    names listed under them."""
    home = {name: module for module, names in modules.items() for name in names}

    def face_getattr(name: str) -> Any:
        module = home.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    return sorted(home), face_getattr
