"""A few pictures of the key layouts at fixed sizes, on the bundled sample (no clocks, no network)."""

from __future__ import annotations

from pathlib import Path

from reader.cli import make_app


def _after(*keys: str):
    """Load, press ``keys``, then wait until the abstract and the footer have caught up."""

    async def run_before(pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press(*keys)
        await settle(pilot)

    return run_before


async def settle(pilot) -> None:
    """Pause until two screenshots in a row agree (the footer follows focus a little later)."""
    previous = None
    for _ in range(30):
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.02)
        shot = pilot.app.export_screenshot()
        if shot == previous and pilot.app.screen._abstract_due is None:
            return
        previous = shot


def _app(data_dir: Path):
    return make_app(["--sample", "--data-dir", str(data_dir)])


def test_wide(snap_compare, data_dir: Path) -> None:
    assert snap_compare(_app(data_dir), terminal_size=(120, 40), run_before=_after("j", "j", "r", "b"))


def test_narrow_stacks_the_panes(snap_compare, data_dir: Path) -> None:
    assert snap_compare(_app(data_dir), terminal_size=(80, 24), run_before=_after("j"))


def test_search_active(snap_compare, data_dir: Path) -> None:
    assert snap_compare(_app(data_dir), terminal_size=(120, 40), run_before=_after("slash", *"survey"))


def test_empty_result(snap_compare, data_dir: Path) -> None:
    assert snap_compare(_app(data_dir), terminal_size=(100, 30), run_before=_after("slash", *"zzzz", "enter"))
