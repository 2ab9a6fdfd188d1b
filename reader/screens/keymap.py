"""The reader's binding ids, and the config's ``[keys]`` checked against them.

Every binding carries its action's name as its id; ``[keys]`` moves a binding by id. An
id no binding has, or a key that ends up bound to two actions where both are in force,
is reported in one line; the keymap is applied all the same, and Textual decides which
binding runs (the one it tries first: priority bindings from the app down, then from the
focused widget up, and in one place the moved binding over the one it displaced).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.binding import Binding, BindingType
from textual.keys import format_key

from reader.screens.help import HelpScreen
from reader.screens.keys_in_force import in_force, normal_keys
from reader.screens.main import MainScreen
from reader.widgets import AbstractPane, PaperList, SearchBar

Groups = Sequence[tuple[str, Sequence[BindingType]]]

# Bindings in force together: a focused pane's own, then the screen's and the app's.
_CHAINS = (("the list", ("list", "reader", "app")), ("the abstract pane", ("abstract pane", "reader", "app")))


def binding_groups(app_bindings: Sequence[BindingType]) -> list[tuple[str, Sequence[BindingType]]]:
    """Every binding of the reader, by the place it is declared."""
    return [
        ("list", PaperList.BINDINGS),
        ("reader", MainScreen.BINDINGS),
        ("search bar", SearchBar.BINDINGS),
        ("abstract pane", AbstractPane.BINDINGS),
        ("app", app_bindings),
        ("help", HelpScreen.BINDINGS),
    ]


def default_keys(groups: Groups) -> dict[str, str]:
    """Binding id -> its default keys, comma-separated, in declared order."""
    keys: dict[str, list[str]] = {}
    for _, bindings in groups:
        for binding in Binding.make_bindings(bindings):
            if binding.id:
                same = keys.setdefault(binding.id, [])
                if binding.key not in same:
                    same.append(binding.key)
    return {binding_id: ",".join(value) for binding_id, value in keys.items()}


def check_keymap(keys: Mapping[str, str], groups: Groups, name: str = "config.toml") -> tuple[dict[str, str], list[str]]:
    """The keymap to give Textual (ids known, keys in Textual's names) and one-line problems."""
    known = default_keys(groups)
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, value in keys.items():
        if binding_id in known:
            keymap[binding_id] = ",".join(normal_keys(value))
        else:
            problems.append(f"{name}: keys.{binding_id}: no binding has that id (see paper-reader --print-config)")
    by_place = {place: bindings for place, bindings in groups}
    problems += _displaced(keymap, by_place, name)
    problems += _shared(keymap, by_place, name)
    return keymap, problems


def _displaced(keymap: Mapping[str, str], by_place: Mapping[str, Sequence[BindingType]], name: str) -> list[str]:
    """A moved binding that takes a key another binding of the same place had."""
    problems: list[str] = []
    for bindings in by_place.values():
        made = list(Binding.make_bindings(bindings))
        here = {binding.id for binding in made}
        for binding_id, value in keymap.items():
            if binding_id not in here:
                continue
            for key in value.split(","):
                for other in made:
                    if other.key == key and other.id != binding_id and not keymap.get(other.id or ""):
                        problems.append(
                            f"{name}: key {format_key(key)!r} is bound twice: {binding_id} takes it from {other.id or other.action}"
                        )
    return problems


def _shared(keymap: Mapping[str, str], by_place: Mapping[str, Sequence[BindingType]], name: str) -> list[str]:
    """One key on two actions in force together; says which one Textual runs."""
    problems: list[str] = []
    reported: set[frozenset[str]] = set()
    for where, places in _CHAINS:
        chain = [in_force(by_place[place], keymap) for place in places]
        keys = {binding.key for bindings in chain for binding in bindings}
        for key in keys:
            first = [b for bindings in reversed(chain) for b in bindings if b.key == key and b.priority]
            then = [b for bindings in chain for b in bindings if b.key == key and not b.priority]
            order: list[str] = []
            for binding in first + then:
                ident = binding.id or binding.action
                if ident not in order:
                    order.append(ident)
            clash = frozenset(order) | {key}
            if len(order) > 1 and any(ident in keymap for ident in order) and clash not in reported:
                reported.add(clash)
                problems.append(
                    f"{name}: key {format_key(key)!r} is bound twice: {' and '.join(order)}; in {where} {order[0]} runs"
                )
    return sorted(problems)
