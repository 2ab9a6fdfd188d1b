"""Python's garbage collector around a loaded library.

A loaded library is hundreds of thousands of objects; every full pass of the collector
(Textual's allocations set one off every few dozen keys) would rescan them all, for
50-300 ms in the middle of a keystroke. What is alive once a list is loaded lives as long
as the list, so it is exempted from full passes.
"""

from __future__ import annotations

import gc


def resume_after_first_frame() -> None:
    """Switch the collector back on after the first frame (``make_app`` paused it); what
    start-up built lives as long as the app, so it is exempted from full passes first."""
    gc.freeze()
    gc.enable()


def settle_after_loading() -> None:
    """Exempt what is alive from later full collections, after collecting the young
    generations only: a full pass over a loaded library (~55 ms at 50,000 papers, in the
    frame of whatever key comes next) finds a few dozen unreachable objects."""
    gc.collect(1)
    gc.freeze()
