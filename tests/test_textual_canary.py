"""The private Textual hooks the list and the search bar lean on for speed, still there.

``set_virtual_size`` calls ``ScrollView._scroll_update``, ``paint_in_next_frame`` calls
``Widget._check_refresh``, and ``SearchBar`` overrides ``Input.refresh`` to drop the layout
Input asks for on every change. A Textual release that renames or reshapes any of them
would make the reader slow or broken without an error; this file fails first. It also
checks what they buy: moving the cursor lays out nothing.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.widget import Widget
from textual.widgets import Input

from reader.cli import make_app
from reader.screens.main import MainScreen
from reader.widgets.search_bar import SearchBar


def parameters(function: object) -> list[str]:
    return list(inspect.signature(function).parameters)  # type: ignore[arg-type]


def test_scroll_view_scroll_update_takes_the_new_virtual_size() -> None:
    assert parameters(ScrollView._scroll_update) == ["self", "virtual_size"]


def test_widget_check_refresh_takes_nothing() -> None:
    assert parameters(Widget._check_refresh) == ["self"]


def test_input_refresh_still_takes_the_layout_flag_the_search_bar_drops() -> None:
    params = inspect.signature(Input.refresh).parameters
    assert {"repaint", "layout", "recompose"} <= set(params)
    assert params["layout"].kind is inspect.Parameter.KEYWORD_ONLY
    assert SearchBar.refresh is not Input.refresh


def test_screen_still_lays_out_through_the_flag_the_benchmark_reads() -> None:
    """benchmarks/inproc.py counts layouts by ``Screen._layout_required``."""
    assert hasattr(Screen, "_refresh_layout") and hasattr(Screen, "_on_timer_update")


async def test_j_and_k_lay_out_nothing(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    layouts: list[str] = []
    real = Screen._refresh_layout

    def counting(screen: Screen, *args: object, **kwargs: object) -> None:
        layouts.append(type(screen).__name__)
        real(screen, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Screen, "_refresh_layout", counting)
    app = make_app(["--sample", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        for _ in range(5):
            await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, MainScreen)
        assert screen.paper_list.cursor == 0
        layouts.clear()
        for key in ["j", "j", "j", "k", "j"]:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause()
        assert screen.paper_list.cursor == 3
        assert layouts == []
