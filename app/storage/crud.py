"""Reading and writing the tables; every function takes the Session it works in.

Ownership is checked here, in the query itself: a conversation that is not the caller's
is simply not found, so a route cannot forget the check.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, func, select

from app.accounts.auth import hash_password
from app.storage.tables import Conversation, Exchange, FindingRecord, User, UserCreate, utcnow


# -- users -------------------------------------------------------------------------------
def count_users(session: Session) -> int:
    return session.exec(select(func.count()).select_from(User)).one()


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def get_user_by_username(session: Session, username: str) -> User | None:
    return session.exec(select(User).where(User.username == username)).first()


def create_user(session: Session, data: UserCreate) -> User:
    user = User.model_validate(data, update={"password_hash": hash_password(data.password)})
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


# -- conversations -----------------------------------------------------------------------
def list_conversations(session: Session, user_id: int, channel: str | None = "web") -> list[Conversation]:
    """The user's conversations, newest first; by default only the web chat's (the API
    opens one per request, which would crowd the sidebar)."""
    query = select(Conversation).where(Conversation.user_id == user_id)
    if channel is not None:
        query = query.where(Conversation.channel == channel)
    return list(session.exec(
        query
        .order_by(col(Conversation.updated_at).desc(), col(Conversation.id).desc())))


def get_conversation(session: Session, user_id: int, conversation_id: int) -> Conversation | None:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None or conversation.user_id != user_id:
        return None
    return conversation


def create_conversation(session: Session, user_id: int, model_id: str, title: str,
                        channel: str) -> Conversation:
    conversation = Conversation(user_id=user_id, model_id=model_id, title=title, channel=channel)
    session.add(conversation)
    session.commit()
    session.refresh(conversation)
    return conversation


def list_exchanges(session: Session, conversation_id: int) -> list[Exchange]:
    return list(session.exec(
        select(Exchange).where(Exchange.conversation_id == conversation_id).order_by(col(Exchange.id))))


def list_findings(session: Session, exchange_id: int) -> list[FindingRecord]:
    return list(session.exec(select(FindingRecord).where(FindingRecord.exchange_id == exchange_id)))


# -- exchanges ---------------------------------------------------------------------------
def add_exchange(session: Session, exchange: Exchange, findings: Iterable[FindingRecord]) -> Exchange:
    session.add(exchange)
    session.flush()  # the exchange id, for the finding rows, in the same transaction
    for record in findings:
        record.exchange_id = exchange.id
        session.add(record)
    if exchange.conversation_id is not None:
        conversation = session.get(Conversation, exchange.conversation_id)
        if conversation is not None:
            conversation.updated_at = utcnow()
            conversation.model_id = exchange.model_id
            session.add(conversation)
    session.commit()
    session.refresh(exchange)
    return exchange


def finish_exchange(session: Session, exchange_id: int, **changes) -> Exchange | None:
    exchange = session.get(Exchange, exchange_id)
    if exchange is None:
        return None
    for key, value in changes.items():
        setattr(exchange, key, value)
    session.add(exchange)
    session.commit()
    session.refresh(exchange)
    return exchange
