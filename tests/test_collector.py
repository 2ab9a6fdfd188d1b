"""The collector paused while workers read or index the library, and on again after."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from reader.collector import paused_collection, resume_after_first_frame


@pytest.fixture(autouse=True)
def collector_as_it_was() -> Iterator[None]:
    was = gc.isenabled()
    yield
    gc.unfreeze()
    (gc.enable if was else gc.disable)()


def test_overlapping_workers_switch_it_back_on_only_when_the_last_one_ends() -> None:
    gc.enable()
    first_in, second_in, first_may_end = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with paused_collection():
            first_in.set()
            second_in.wait(5)
            first_may_end.wait(5)
        seen.append(gc.isenabled())  # the second still runs: still off

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with paused_collection():
        second_in.set()
        assert not gc.isenabled()
        first_may_end.set()
        thread.join(5)
        assert not gc.isenabled()
    assert seen == [False] and gc.isenabled()


def test_the_first_frame_switches_it_on_after_a_load_that_began_before_it() -> None:
    gc.disable()  # as make_app leaves it until the first frame
    with paused_collection():
        resume_after_first_frame()
        assert not gc.isenabled()  # not in the middle of the library's read
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with paused_collection():
        pass
    assert not gc.isenabled()
