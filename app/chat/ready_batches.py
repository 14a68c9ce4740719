"""A stream's items in batches of what has already arrived, so the work per item is done per batch.

Why: a model's answer arrives as a hundred or more small chunks. Each one that the pipeline
passes on costs a restore, an event, a JSON frame and a write through every ASGI layer, far
more than the few characters it carries. When the upstream is faster than that work (a fast
model, a busy server), chunks pile up in the socket buffer anyway; handing them on one by one
only makes the server busier. So the source is read by a task of its own into a queue, and the
consumer takes everything that is ready at once. Nothing waits for a batch to fill: the first
item is handed on as soon as it arrives, so a slow model's chunks still stream one by one and
no latency is added. The source's own time-outs and deadlines keep working (they live in it).

A failure of the source is raised to the consumer after the items that came before it. If the
consumer stops early (client gone), the reading task is cancelled and the source closed.
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import TypeVar

import anyio

T = TypeVar("T")

_END = object()
# Enough to never stall a fast upstream; a bound all the same, so a consumer that cannot keep
# up (a slow client) makes the reader wait instead of holding a whole answer twice in memory.
QUEUE_LIMIT = 1024
CLOSE_SECONDS = 5.0


class _Raised:
    def __init__(self, error: BaseException) -> None:
        self.error = error


async def ready_batches(source: AsyncIterator[T]) -> AsyncIterator[list[T]]:
    queue: asyncio.Queue = asyncio.Queue(QUEUE_LIMIT)

    async def read() -> None:
        try:
            async for item in source:
                await queue.put(item)
        except Exception as exc:  # noqa: BLE001 - handed to the consumer, which decides
            await queue.put(_Raised(exc))
            return
        finally:
            close = getattr(source, "aclose", None)
            if close is not None:
                await close()
        await queue.put(_END)

    reader = asyncio.create_task(read())
    try:
        while True:
            batch: list[T] = []
            item = await queue.get()
            while True:
                if item is _END:
                    if batch:
                        yield batch
                    return
                if isinstance(item, _Raised):
                    if batch:
                        yield batch
                    raise item.error
                batch.append(item)
                try:
                    item = queue.get_nowait()
                except asyncio.QueueEmpty:
                    break
            yield batch
    finally:
        if not reader.done():
            reader.cancel()
            # The reader closes the source (and so the upstream connection) as it stops.
            with anyio.CancelScope(shield=True), anyio.move_on_after(CLOSE_SECONDS):
                await asyncio.wait({reader})
