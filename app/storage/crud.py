"""Reading and writing the tables; every function takes the Session it works in.

Ownership is checked here, in the query itself: a conversation that is not the caller's
is simply not found, so a route cannot forget the check.
"""
from __future__ import annotations

from collections.abc import Iterable

from datetime import datetime

from sqlmodel import Session, col, func, select, update

from app.accounts.passwords import hash_password
from app.storage.tables import (ApiToken, Conversation, Exchange, FindingRecord, LoginThrottle, User, UserCreate,
                                UserSession, utcnow)


# -- users -------------------------------------------------------------------------------
def count_users(session: Session) -> int:
    return session.exec(select(func.count()).select_from(User)).one()


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def get_user_by_username(session: Session, username: str) -> User | None:
    return session.exec(select(User).where(User.username == username)).first()


def create_user(session: Session, data: UserCreate, *, must_change_password: bool = False) -> User:
    user = User.model_validate(data, update={"password_hash": hash_password(data.password),
                                             "must_change_password": must_change_password})
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def set_password(session: Session, user: User, password: str, *, must_change: bool = False) -> User:
    """`must_change`: someone else chose it (an administrator), so the user must replace it."""
    user.password_hash = hash_password(password)
    user.must_change_password = must_change
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def set_active(session: Session, user: User, active: bool) -> User:
    user.is_active = active
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


# -- sign-in sessions --------------------------------------------------------------------
def create_user_session(session: Session, *, user_id: int, session_hash: str, now: datetime,
                        expires_at: datetime) -> UserSession:
    row = UserSession(user_id=user_id, session_hash=session_hash, created_at=now, last_seen_at=now,
                      expires_at=expires_at)
    session.add(row)
    user = session.get(User, user_id)
    if user is not None:  # a new session is a sign-in: the users page shows when it was
        user.last_login_at = now
        session.add(user)
    session.commit()
    return row


def live_session(session: Session, session_hash: str, now: datetime) -> tuple[UserSession, User] | None:
    """One query on the unique hash index, joined with its (active) user."""
    return session.exec(
        select(UserSession, User).join(User, col(User.id) == col(UserSession.user_id))
        .where(UserSession.session_hash == session_hash, col(UserSession.revoked_at).is_(None),
               col(UserSession.expires_at) > now, col(User.is_active).is_(True))).first()


def touch_user_session(session: Session, row: UserSession, now: datetime) -> None:
    session.exec(update(UserSession).where(col(UserSession.id) == row.id).values(last_seen_at=now))
    session.commit()


def revoke_user_sessions(session: Session, *, now: datetime, session_hash: str | None = None,
                         user_id: int | None = None, keep_hash: str | None = None) -> int:
    query = update(UserSession).where(col(UserSession.revoked_at).is_(None))
    if session_hash is not None:
        query = query.where(UserSession.session_hash == session_hash)
    if user_id is not None:
        query = query.where(UserSession.user_id == user_id)
    if keep_hash is not None:
        query = query.where(UserSession.session_hash != keep_hash)
    result = session.exec(query.values(revoked_at=now))
    session.commit()
    return result.rowcount or 0


# -- login throttling --------------------------------------------------------------------
def get_throttle(session: Session, key_hash: str, *, for_update: bool = False) -> LoginThrottle | None:
    query = select(LoginThrottle).where(LoginThrottle.key_hash == key_hash)
    return session.exec(query.with_for_update() if for_update else query).first()


def save_throttle(session: Session, row: LoginThrottle) -> None:
    session.add(row)
    session.commit()


def delete_throttle(session: Session, key_hash: str) -> None:
    row = session.get(LoginThrottle, key_hash)
    if row is not None:
        session.delete(row)
        session.commit()


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


def store_new_exchange(session: Session, exchange: Exchange, findings: Iterable[FindingRecord], *,
                       title: str | None = None) -> Exchange:
    """The chat's write before the model is asked: one transaction, one commit.

    With a title and no conversation, the conversation is created in the same transaction;
    a continued conversation is touched by one UPDATE (no read first). Nothing is read back:
    the session keeps what it wrote (`expire_on_commit=False`), so the exchange's id and
    conversation id are there without another round trip."""
    if exchange.conversation_id is None and title is not None:
        conversation = Conversation(user_id=exchange.user_id, model_id=exchange.model_id, title=title,
                                    channel=exchange.channel)
        session.add(conversation)
        session.flush()
        exchange.conversation_id = conversation.id
    elif exchange.conversation_id is not None:
        session.exec(update(Conversation).where(col(Conversation.id) == exchange.conversation_id)
                     .values(updated_at=utcnow(), model_id=exchange.model_id))
    session.add(exchange)
    session.flush()  # the exchange id, for the finding rows
    for record in findings:
        record.exchange_id = exchange.id
        session.add(record)
    session.commit()
    return exchange


def update_exchange(session: Session, exchange_id: int, **changes) -> bool:
    """The chat's write after the answer: one UPDATE, no read before or after."""
    result = session.exec(update(Exchange).where(col(Exchange.id) == exchange_id).values(**changes))
    session.commit()
    return bool(result.rowcount)


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


# -- conversation management (the person's own list) -------------------------------------
def search_conversations(session: Session, user_id: int, query: str = "", *, offset: int = 0,
                         limit: int = 30) -> tuple[list[Conversation], bool]:
    """One page of the user's conversations (all channels), newest first, and whether more follow.

    `query` matches titles and the stored, pseudonymised prompts and answers (case-insensitive);
    originals are never stored, so they cannot be searched either.
    """
    statement = select(Conversation).where(Conversation.user_id == user_id)
    query = query.strip()
    if query:
        pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        in_text = select(Exchange.conversation_id).where(
            Exchange.user_id == user_id,
            col(Exchange.prompt_pseudonymised).ilike(pattern, escape="\\")
            | col(Exchange.answer_pseudonymised).ilike(pattern, escape="\\"))
        statement = statement.where(col(Conversation.title).ilike(pattern, escape="\\")
                                    | col(Conversation.id).in_(in_text))
    rows = list(session.exec(statement
                             .order_by(col(Conversation.updated_at).desc(), col(Conversation.id).desc())
                             .offset(offset).limit(limit + 1)))
    return rows[:limit], len(rows) > limit


def rename_conversation(session: Session, user_id: int, conversation_id: int, title: str) -> Conversation | None:
    """`title` must already be pseudonymised by the caller."""
    conversation = get_conversation(session, user_id, conversation_id)
    if conversation is None:
        return None
    conversation.title = title[:200]
    session.add(conversation)
    session.commit()
    session.refresh(conversation)
    return conversation


def delete_conversation(session: Session, user_id: int, conversation_id: int) -> int | None:
    """Deletes the conversation with its exchanges and their findings, for good, in one
    transaction. Returns how many exchanges went with it, or None if it is not the user's."""
    conversation = get_conversation(session, user_id, conversation_id)
    if conversation is None:
        return None
    exchange_ids = list(session.exec(select(Exchange.id).where(Exchange.conversation_id == conversation_id)))
    if exchange_ids:
        for record in session.exec(select(FindingRecord).where(col(FindingRecord.exchange_id).in_(exchange_ids))):
            session.delete(record)
        session.flush()
        for exchange in session.exec(select(Exchange).where(col(Exchange.id).in_(exchange_ids))):
            session.delete(exchange)
        session.flush()
    session.delete(conversation)
    session.commit()
    return len(exchange_ids)


def withdraw_last_exchange(session: Session, user_id: int, conversation_id: int, exchange_id: int) -> bool:
    """Removes the conversation's last exchange (with its findings), so a regenerated or
    edited prompt replaces it. Only the last one: earlier turns are the later ones' history."""
    if get_conversation(session, user_id, conversation_id) is None:
        return False
    last = session.exec(select(Exchange).where(Exchange.conversation_id == conversation_id)
                        .order_by(col(Exchange.id).desc())).first()
    if last is None or last.id != exchange_id:
        return False
    for record in session.exec(select(FindingRecord).where(FindingRecord.exchange_id == exchange_id)):
        session.delete(record)
    session.flush()
    session.delete(last)
    session.commit()
    return True


# -- a person's own API tokens (the account page) ---------------------------------------
def list_api_tokens(session: Session, user_id: int) -> list[ApiToken]:
    return list(session.exec(select(ApiToken).where(ApiToken.user_id == user_id)
                             .order_by(col(ApiToken.created_at).desc(), col(ApiToken.id).desc())))


def delete_api_token(session: Session, user_id: int, token_id: int) -> bool:
    """Revoke one of the user's tokens; False if it is not theirs (or gone already)."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user_id:
        return False
    session.delete(row)
    session.commit()
    return True
