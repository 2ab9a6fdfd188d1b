"""Waiting, in a Pilot test, until the reader has nothing left running in its workers."""

from __future__ import annotations

from typing import Any

from textual.worker import WorkerState

BUSY = (WorkerState.PENDING, WorkerState.RUNNING)


async def until_idle(pilot: Any, rounds: int = 50) -> None:
    """Until no worker is pending or running: one worker's end may start the next (the
    store opens, then the library loads, then its index is built and its words learned),
    and Textual's ``wait_for_complete`` waits only for the workers already started."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.state in BUSY for worker in pilot.app.workers):
            return
