"""The DPO desk's writes: flags, purging one exchange, retention, and the job lease.

Deleting an exchange removes its findings with it; its flags stay (for tuning the guard)
with an empty exchange reference. The lease is one row per job, claimed by a single
`UPDATE … WHERE expires_at < now`: the database decides which worker wins, so two
replicas starting at the same moment cannot both run the job.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.storage.dpo_queries import as_utc
from app.storage.tables import (
    Conversation, Exchange, ExchangeFlag, FindingRecord, FlagKind, JobLease, RetentionRun, utcnow,
)


def add_flag(session: Session, *, exchange_id: int, kind: str, entity_type: str, note: str,
             created_by: int) -> ExchangeFlag:
    flag = ExchangeFlag(exchange_id=exchange_id, kind=kind, entity_type=entity_type, note=note,
                        created_by=created_by)
    session.add(flag)
    exchange = session.get(Exchange, exchange_id)
    if kind == FlagKind.MISSED.value and exchange is not None and exchange.conversation_id is not None:
        # The conversation's title is a copy of its first prompt: withheld with the text.
        conversation = session.get(Conversation, exchange.conversation_id)
        if conversation is not None:
            conversation.title = ""
            session.add(conversation)
    session.commit()
    session.refresh(flag)
    return flag


def resolve_flag(session: Session, flag_id: int, resolution: str) -> ExchangeFlag | None:
    flag = session.get(ExchangeFlag, flag_id)
    if flag is None:
        return None
    flag.resolution = resolution
    flag.resolved_at = utcnow()
    session.add(flag)
    session.commit()
    session.refresh(flag)
    return flag


def _delete_exchanges(session: Session, where) -> int:
    ids = select(Exchange.id).where(where)
    session.exec(update(ExchangeFlag).where(col(ExchangeFlag.exchange_id).in_(ids))
                 .values(exchange_id=None, resolution="purged", resolved_at=utcnow()))
    session.exec(delete(FindingRecord).where(col(FindingRecord.exchange_id).in_(ids)))
    return session.exec(delete(Exchange).where(where)).rowcount or 0


def purge_exchange(session: Session, exchange_id: int) -> bool:
    deleted = _delete_exchanges(session, col(Exchange.id) == exchange_id)
    session.commit()
    return deleted > 0


def purge_older_than(session: Session, cutoff: datetime, trigger: str) -> RetentionRun:
    """Delete exchanges (and their findings) created before `cutoff`, and conversations left
    empty that were last used before it; the run is recorded with its counts."""
    cutoff = as_utc(cutoff)
    deleted = _delete_exchanges(session, col(Exchange.created_at) < cutoff)
    still_used = select(Exchange.conversation_id).where(col(Exchange.conversation_id).is_not(None))
    conversations = session.exec(delete(Conversation).where(
        col(Conversation.updated_at) < cutoff, col(Conversation.id).not_in(still_used))).rowcount or 0
    run = RetentionRun(cutoff=cutoff, trigger=trigger, deleted_exchanges=deleted,
                       deleted_conversations=conversations)
    session.add(run)
    session.commit()
    session.refresh(run)
    return run


def claim_lease(session: Session, name: str, holder: str, duration: timedelta) -> bool:
    """True if `holder` now holds the lease `name` until now + duration."""
    now = as_utc(utcnow())
    if session.get(JobLease, name) is None:
        try:
            session.add(JobLease(name=name, holder="", expires_at=now - timedelta(seconds=1)))
            session.commit()
        except IntegrityError:  # another worker created it first: fine, the UPDATE decides
            session.rollback()
    claimed = session.exec(update(JobLease).where(col(JobLease.name) == name, col(JobLease.expires_at) < now)
                           .values(holder=holder, expires_at=now + duration)).rowcount
    session.commit()
    return claimed == 1
