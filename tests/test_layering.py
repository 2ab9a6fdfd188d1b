"""The house's walls, read from the source: which room may import which.

Every import in ``reader/`` is read with ``ast`` (function-level and ``TYPE_CHECKING``
ones too, since they are arrows all the same) and checked against the rules below. Each
rule is also shown failing on a tiny fake tree, so a rule that silently stopped checking
would be noticed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

READER = Path(__file__).parent.parent / "reader"
UI_ROOMS = {"app", "screens", "widgets"}
UI_LIBRARIES = {"textual", "rich"}


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(root: Path) -> Iterator[tuple[str, str]]:
    """(importing module, imported module) for every import under ``root``."""
    for path in sorted(root.rglob("*.py")):
        me = module_name(root, path)
        package = me if path.name == "__init__.py" else me.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield me, alias.name
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                yield me, target


def room_of(module: str, top: str) -> str | None:
    """The room (package, or top-level module) of a module of ``top``; ``top`` itself is
    the room ``""`` (the version); None for modules of other projects."""
    parts = module.split(".")
    if parts[0] != top:
        return None
    return parts[1] if len(parts) > 1 else ""


def violations(root: Path) -> list[str]:
    """Every broken rule under ``root`` (a ``reader``-shaped tree), one line each."""
    top = root.name
    found: list[str] = []
    arrows: dict[str, set[str]] = {}
    for importer, imported in imports_of(root):
        mine = room_of(importer, top)
        assert mine is not None
        library = imported.split(".")[0]
        if library in UI_LIBRARIES and mine not in UI_ROOMS:
            found.append(f"{importer} imports {imported}: only the UI ({', '.join(sorted(UI_ROOMS))}) may")
        theirs = room_of(imported, top)
        if theirs is None or theirs == mine:
            continue
        arrows.setdefault(mine, set()).add(theirs)
        if mine == "sources" and theirs == "library":
            found.append(f"{importer} imports {imported}: sources know nothing of the library")
        if mine == "widgets" and theirs == "screens":
            found.append(f"{importer} imports {imported}: widgets never import screens")
        if mine == "model":
            found.append(f"{importer} imports {imported}: the model imports no other room")
    found.extend(f"import cycle between rooms: {' -> '.join(cycle)}" for cycle in cycles(arrows))
    return found


def cycles(arrows: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected group of rooms that has one."""
    out: list[list[str]] = []
    done: set[str] = set()
    for start in sorted(arrows):
        stack: list[tuple[str, list[str]]] = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in sorted(arrows.get(node, ())):
                if nxt == start:
                    cycle = path + [start]
                    if not set(cycle) <= done:
                        out.append(cycle)
                        done |= set(cycle)
                    stack.clear()
                    break
                if nxt not in path and nxt not in done:
                    stack.append((nxt, path + [nxt]))
    return out


def test_the_reader_keeps_its_layers() -> None:
    assert violations(READER) == []


def test_every_room_is_a_package_with_a_face() -> None:
    """Each package says in its docstring what lives there and names its face in ``__all__``."""
    for init in sorted(READER.glob("*/__init__.py")):
        tree = ast.parse(init.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{init} has no docstring"
        text = init.read_text(encoding="utf-8")
        assert "__all__" in text, f"{init} has no __all__"


def test_no_file_in_the_reader_is_over_500_lines() -> None:
    long = {str(p.relative_to(READER)): n for p in READER.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert long == {}


def test_faces_resolve_every_name_they_list() -> None:
    import importlib

    for init in sorted(READER.glob("*/__init__.py")):
        face = importlib.import_module(f"reader.{init.parent.name}")
        for name in face.__all__:
            assert getattr(face, name) is not None, f"reader.{init.parent.name}.{name}"


# -- the rules fail when broken: a tiny fake tree per rule -----------------------------------


def fake_tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "reader"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for folder in {p.parent for p in root.rglob("*.py")}:
        (folder / "__init__.py").touch()
    return root


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"library/store.py": "import textual.app\n"}, "only the UI"),
        ({"search/index.py": "from rich.text import Text\n"}, "only the UI"),
        ({"sources/live.py": "def f():\n    from reader.library import Store\n"}, "sources know nothing"),
        ({"widgets/pane.py": "from reader.screens.main import MainScreen\n"}, "widgets never import screens"),
        ({"model/paper.py": "from reader.search import Query\n"}, "the model imports no other room"),
        ({"search/a.py": "from reader.export import x\n", "export/b.py": "from reader.search import y\n"},
         "import cycle between rooms: export -> search -> export"),
        ({"library/a.py": "from reader.session import x\n", "session/b.py": "from ..search import y\n",
          "search/c.py": "from reader.library import z\n"}, "import cycle between rooms"),
    ],
)
def test_a_broken_rule_is_found(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    found = violations(fake_tree(tmp_path, files))
    assert any(expected in line for line in found), found


def test_a_clean_fake_tree_passes(tmp_path: Path) -> None:
    root = fake_tree(tmp_path, {
        "widgets/pane.py": "import textual\nfrom reader.model import Paper\n",
        "screens/main.py": "from reader.widgets.pane import x\nfrom reader.library import Store\n",
        "library/store.py": "from reader.model.paper import Paper\n",
        "sources/live.py": "from . import clean\nfrom reader.model import Paper\n",
    })
    assert violations(root) == []
