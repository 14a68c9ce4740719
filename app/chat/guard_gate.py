"""The guard's door: bounded concurrency and a queue with a deadline.

Scanning is CPU-bound Python; more scans at once than cores only make every one of them
slower (and the guard's own time budget then fails them all). So at most `slots` scans run
at a time, in worker threads of their own (never the threads the database calls use). Up to
`queue_limit` further requests wait their turn, each at most `queue_seconds`. Beyond that the
person is told plainly that Spielraum is busy (`GuardBusy`, HTTP 503 with Retry-After),
instead of every request slowing down until the whole server seems frozen.

Waiting happens on the event loop (a limiter, no thread), so a full queue costs nothing
and `/healthz` keeps answering; `status()` reads plain counters for it.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

import anyio

from app.errors import GuardBusy

T = TypeVar("T")


class GuardGate:
    def __init__(self, slots: int = 0, queue_limit: int = 256, queue_seconds: float = 60.0,
                 retry_after_seconds: int = 5) -> None:
        self.slots = slots or os.cpu_count() or 1
        self.queue_limit = queue_limit
        self.queue_seconds = queue_seconds
        self.retry_after_seconds = retry_after_seconds
        self._turns = anyio.CapacityLimiter(self.slots)
        # Its own thread limiter: a scan never waits for a thread the database calls hold.
        self._threads = anyio.CapacityLimiter(self.slots)
        self.waiting = 0
        self.rejected = 0

    @property
    def in_flight(self) -> int:
        return self._turns.borrowed_tokens

    async def run(self, work: Callable[..., T], *args) -> T:
        """`work(*args)` in a guard thread once a slot is free; GuardBusy if none frees up in time."""
        await self._wait_for_slot()
        try:
            return await anyio.to_thread.run_sync(work, *args, limiter=self._threads)
        finally:
            self._turns.release()

    async def _wait_for_slot(self) -> None:
        try:
            self._turns.acquire_nowait()
            return
        except anyio.WouldBlock:
            pass
        if self.waiting >= self.queue_limit:
            self._reject()
        self.waiting += 1
        try:
            with anyio.move_on_after(self.queue_seconds):
                await self._turns.acquire()
                return
        finally:
            self.waiting -= 1
        self._reject()

    def _reject(self) -> None:
        self.rejected += 1
        raise GuardBusy(self.retry_after_seconds)

    def status(self) -> dict:
        return {"slots": self.slots, "in_flight": self.in_flight, "queued": self.waiting,
                "queue_limit": self.queue_limit, "rejected": self.rejected,
                "saturated": self.in_flight >= self.slots and self.waiting >= self.queue_limit}
