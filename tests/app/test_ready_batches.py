"""`ready_batches`: what has arrived goes on together, nothing waits for more, failures and early exits stay clean."""
from __future__ import annotations

import asyncio

import pytest

from app.chat.ready_batches import ready_batches


class Source:
    """An async iterator that records whether it was closed; `gate` (if set) holds item 2 back."""

    def __init__(self, items, *, fail_after: Exception | None = None, gate: asyncio.Event | None = None) -> None:
        self.items = list(items)
        self.fail_after = fail_after
        self.gate = gate
        self.closed = False
        self.produced = 0

    def __aiter__(self):
        return self._run()

    async def _run(self):
        try:
            for index, item in enumerate(self.items):
                if index == 1 and self.gate is not None:
                    await self.gate.wait()
                self.produced += 1
                yield item
            if self.fail_after is not None:
                raise self.fail_after
        finally:
            self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def collect(source, *, stop_after: int | None = None, on_batch=None):
    async def main():
        batches = []
        stream = ready_batches(source)
        try:
            async for batch in stream:
                batches.append(batch)
                if on_batch is not None:
                    on_batch(batch)
                if stop_after is not None and len(batches) >= stop_after:
                    break
        finally:
            await stream.aclose()
        return batches
    return asyncio.run(main())


def test_items_that_are_ready_together_come_as_one_batch_in_order():
    batches = collect(Source(range(1, 8)))
    assert batches == [[1, 2, 3, 4, 5, 6, 7]]


def test_the_first_item_does_not_wait_for_the_next_one():
    gate = asyncio.Event()
    source = Source(["a", "b", "c"], gate=gate)
    seen_before_b = []

    def release(batch):
        seen_before_b.append(source.produced)
        gate.set()

    batches = collect(source, on_batch=release)
    assert batches[0] == ["a"]          # handed on while "b" did not exist yet
    assert seen_before_b[0] == 1
    assert [item for batch in batches for item in batch] == ["a", "b", "c"]


def test_a_failure_comes_after_the_items_before_it():
    class Broken(Exception):
        pass

    received = []

    async def main():
        async for batch in ready_batches(Source(["x", "y"], fail_after=Broken("cut"))):
            received.extend(batch)

    with pytest.raises(Broken):
        asyncio.run(main())
    assert received == ["x", "y"]


def test_a_consumer_that_leaves_early_closes_the_source():
    gate = asyncio.Event()  # never set: the source waits for ever after its first item
    source = Source(["first", "never"], gate=gate)
    batches = collect(source, stop_after=1)
    assert batches == [["first"]]
    assert source.closed
    assert source.produced == 1


def test_an_empty_source_gives_no_batch():
    assert collect(Source([])) == []
