"""Python's garbage collector around a loaded library.

A loaded library is hundreds of thousands of objects; every full pass of the collector
(Textual's allocations set one off every few dozen keys) would rescan them all, for
50-300 ms in the middle of a keystroke. What is alive once a list is loaded lives as long
as the list, so it is exempted from full passes. While a worker reads the library or
indexes it, the collector is paused: the papers it makes set off full passes (~100 ms at
100,000 papers, each holding the interpreter lock, so the keys typed meanwhile wait) that
find nothing to free.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pausing = 0  # workers running with the collector paused
_enable_after = False  # whether it is switched back on once the last of them ends


def resume_after_first_frame() -> None:
    """Switch the collector back on after the first frame (``make_app`` paused it); what
    start-up built lives as long as the app, so it is exempted from full passes first."""
    global _enable_after
    gc.freeze()
    with _lock:
        if _pausing:
            _enable_after = True
        else:
            gc.enable()


def settle_after_loading() -> None:
    """Exempt what is alive from later full collections, after collecting the young
    generations only: a full pass over a loaded library (~55 ms at 50,000 papers, in the
    frame of whatever key comes next) finds a few dozen unreachable objects."""
    gc.collect(1)
    gc.freeze()


@contextmanager
def paused_collection() -> Iterator[None]:
    """Run the block (a worker's read or indexing of the library) with the collector off,
    and switch it back on as it was once no such block runs."""
    global _pausing, _enable_after
    with _lock:
        if not _pausing:
            _enable_after = gc.isenabled()
            gc.disable()
        _pausing += 1
    try:
        yield
    finally:
        with _lock:
            _pausing -= 1
            if not _pausing and _enable_after:
                gc.enable()
