"""The bindings as the keymap has moved them, for what lists keys (help, the palette).

Textual applies the keymap to the live bindings chain; help and the palette read the
classes' ``BINDINGS``, so they put the same keymap over them here, in the same way: a
moved binding takes its new keys, and a binding whose key another one took loses it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.app import App
from textual.binding import Binding, BindingType


def keymap_of(app: App[object]) -> Mapping[str, str]:
    """The keymap Textual applies (set with ``App.set_keymap``; it has no public getter)."""
    return app._keymap


def normal_keys(keys: str) -> list[str]:
    """``keys`` (comma-separated, ``?`` or ``question_mark``) in Textual's own names."""
    return [binding.key for binding in Binding.make_bindings([Binding(keys, "")])]


def in_force(bindings: Iterable[BindingType], keymap: Mapping[str, str]) -> list[Binding]:
    """``bindings`` (one namespace's) with ``keymap`` (id -> normalised keys) applied, in
    their declared order."""
    made = list(Binding.make_bindings(bindings))
    moved = {b.id for b in made if b.id and keymap.get(b.id)}
    taken = {key for binding_id in moved for key in keymap[binding_id].split(",")}
    shown: list[Binding] = []
    done: set[str] = set()
    for binding in made:
        if binding.id in moved:
            if binding.id not in done:
                done.add(binding.id)
                shown.extend(binding.with_key(key) for key in keymap[binding.id].split(","))
        elif binding.key not in taken:
            shown.append(binding)
    return shown


def keys_by_action(bindings: Iterable[Binding]) -> dict[tuple[str, str], list[Binding]]:
    """Described bindings grouped by (action, description), each key once, in order."""
    grouped: dict[tuple[str, str], list[Binding]] = {}
    for binding in bindings:
        if binding.description:
            same = grouped.setdefault((binding.action, binding.description), [])
            if all(other.key != binding.key for other in same):
                same.append(binding)
    return grouped
