"""Storing exchanges for the web chat and the API alike: every call off the event loop, each in its own short session.

The chat pipeline runs inside streaming responses and waits on models for seconds, so it must
neither block the event loop on a database call nor hold a connection while it waits. Every
method here is a coroutine that runs one short session in a worker thread; the threads are
capped by a limiter the size of the connection pool, so a burst queues here (cheaply, on the
loop) instead of piling up threads that then wait for the pool. Related writes share one
session (`open_exchange` creates the conversation and the exchange in one go).

What is stored is already pseudonymised by the caller; this module never sees an original value.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import anyio
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.storage import crud
from app.storage.dpo_queries import hidden_exchange_ids
from app.storage.engine import pool_capacity
from app.storage.tables import Exchange, FindingRecord

T = TypeVar("T")


@dataclass(frozen=True)
class ConversationContext:
    """What a new turn needs to know about the conversation it continues."""
    exists: bool
    history: list[dict]


class ExchangeLog:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._limiter = anyio.CapacityLimiter(max(1, pool_capacity(engine)))

    async def _run(self, work: Callable[[Session], T]) -> T:
        def in_session() -> T:
            with Session(self._engine, expire_on_commit=False) as session:
                return work(session)
        return await anyio.to_thread.run_sync(in_session, limiter=self._limiter)

    async def in_session(self, work: Callable[[Session], T]) -> T:
        """Any other short read the turn needs (e.g. the model access check), under the same limiter."""
        return await self._run(work)

    async def conversation_context(self, user_id: int, conversation_id: int | None,
                                   with_history: bool) -> ConversationContext:
        """Whether the conversation is this user's, and its answered turns as chat messages."""
        if conversation_id is None:
            return ConversationContext(exists=False, history=[])

        def work(session: Session) -> ConversationContext:
            if crud.get_conversation(session, user_id, conversation_id) is None:
                return ConversationContext(exists=False, history=[])
            return ConversationContext(exists=True, history=_history(session, conversation_id) if with_history else [])
        return await self._run(work)

    async def open_exchange(self, exchange: Exchange, findings: list[FindingRecord], *,
                            title: str | None = None) -> Exchange:
        """Store an exchange; with a title and no conversation, start the conversation too
        (one transaction)."""
        return await self._run(lambda session: crud.store_new_exchange(session, exchange, findings, title=title))

    async def finish(self, exchange_id: int, **changes) -> None:
        await self._run(lambda session: crud.update_exchange(session, exchange_id, **changes))


def _history(session: Session, conversation_id: int) -> list[dict]:
    """The conversation's answered turns as chat messages, pseudonymised as stored."""
    messages: list[dict] = []
    exchanges = crud.list_exchanges(session, conversation_id)
    # Flagged by the DPO as "personal data missed": never sent to a model again.
    withheld = hidden_exchange_ids(session, [exchange.id for exchange in exchanges])
    for exchange in exchanges:
        if exchange.id in withheld or exchange.verdict != "sent" or not exchange.answer_pseudonymised:
            continue
        messages.append({"role": "user", "content": exchange.prompt_pseudonymised})
        messages.append({"role": "assistant", "content": exchange.answer_pseudonymised})
    return messages
