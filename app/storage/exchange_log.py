"""Storing exchanges for the web chat and the API alike, each write in its own short session.

Services run inside streaming responses that outlive the request's dependencies, so they
open a session per write from the engine instead of borrowing the request's. What is
stored is already pseudonymised by the caller; this module never sees an original value.
"""
from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.storage import crud
from app.storage.dpo_queries import hidden_exchange_ids
from app.storage.tables import Conversation, Exchange, FindingRecord


class ExchangeLog:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def conversation(self, user_id: int, conversation_id: int) -> Conversation | None:
        with Session(self._engine) as session:
            return crud.get_conversation(session, user_id, conversation_id)

    def history(self, conversation_id: int) -> list[dict]:
        """The conversation's answered turns as chat messages, pseudonymised as stored."""
        messages: list[dict] = []
        with Session(self._engine) as session:
            exchanges = crud.list_exchanges(session, conversation_id)
            # Flagged as "personal data missed": never sent to a model again.
            withheld = hidden_exchange_ids(session, [exchange.id for exchange in exchanges])
            for exchange in exchanges:
                if exchange.id in withheld or exchange.verdict != "sent" or not exchange.answer_pseudonymised:
                    continue
                messages.append({"role": "user", "content": exchange.prompt_pseudonymised})
                messages.append({"role": "assistant", "content": exchange.answer_pseudonymised})
        return messages

    def new_conversation(self, user_id: int, model_id: str, title: str, channel: str) -> Conversation:
        with Session(self._engine) as session:
            return crud.create_conversation(session, user_id, model_id, title, channel)

    def record(self, exchange: Exchange, findings: list[FindingRecord]) -> Exchange:
        with Session(self._engine) as session:
            return crud.add_exchange(session, exchange, findings)

    def finish(self, exchange_id: int, **changes) -> None:
        with Session(self._engine) as session:
            crud.finish_exchange(session, exchange_id, **changes)
