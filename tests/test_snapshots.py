"""A few pictures of the key layouts at fixed sizes, on the bundled sample (no clocks, no network)."""

from __future__ import annotations

from pathlib import Path

from reader.cli import make_app


async def _loaded(pilot) -> None:
    """The list is in and the footer has caught up with the focused pane."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()
    assert pilot.app.focused is pilot.app.screen.paper_list


def _app(data_dir: Path):
    return make_app(["--sample", "--data-dir", str(data_dir)])


def test_wide(snap_compare, data_dir: Path) -> None:
    assert snap_compare(_app(data_dir), terminal_size=(120, 40), run_before=_loaded, press=["j", "j", "r", "b"])


def test_narrow_stacks_the_panes(snap_compare, data_dir: Path) -> None:
    assert snap_compare(_app(data_dir), terminal_size=(80, 24), run_before=_loaded, press=["j"])


def test_search_active(snap_compare, data_dir: Path) -> None:
    assert snap_compare(_app(data_dir), terminal_size=(120, 40), run_before=_loaded, press=["slash", *"survey"])


def test_empty_result(snap_compare, data_dir: Path) -> None:
    assert snap_compare(_app(data_dir), terminal_size=(100, 30), run_before=_loaded, press=["slash", *"zzzz", "enter"])
