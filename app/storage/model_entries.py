"""The models IT configured in the browser (`model_entries`), and how often a person used one today.

Writes here do not commit: the admin routes raise the `models` configuration version and
write the audit entry in the same transaction (`record_change` commits), so a change and its
record land together or not at all.
"""
from __future__ import annotations

import json
from datetime import datetime

from sqlmodel import Session, col, func, select, update

from app.storage.tables import Exchange, ModelEntry, Verdict, utcnow

# Exchanges that never reached the model: the guard failed or was busy (stored with the
# error code only). Blocked prompts have their own verdict.
_NOT_SENT_CODES = ("guard_unavailable", "guard_busy")


def list_entries(session: Session) -> list[ModelEntry]:
    return list(session.exec(select(ModelEntry).order_by(ModelEntry.position, ModelEntry.id)))


def enabled_entries(session: Session) -> list[ModelEntry]:
    return list(session.exec(select(ModelEntry).where(ModelEntry.enabled == True)  # noqa: E712 - SQL
                             .order_by(ModelEntry.position, ModelEntry.id)))


def get_entry(session: Session, entry_id: int) -> ModelEntry | None:
    return session.get(ModelEntry, entry_id)


def get_by_model_id(session: Session, model_id: str) -> ModelEntry | None:
    return session.exec(select(ModelEntry).where(ModelEntry.model_id == model_id)).first()


def next_position(session: Session) -> int:
    return (session.exec(select(func.max(ModelEntry.position))).one() or 0) + 1


def save(session: Session, entry: ModelEntry) -> ModelEntry:
    entry.updated_at = utcnow()
    session.add(entry)
    session.flush()  # a new row needs its id before the other defaults are cleared
    if entry.is_default:
        clear_other_defaults(session, entry)
    return entry


def clear_other_defaults(session: Session, keep: ModelEntry) -> None:
    """Exactly one default: marking one model clears the mark on every other."""
    session.exec(update(ModelEntry).where(col(ModelEntry.is_default) == True,  # noqa: E712 - SQL
                                          col(ModelEntry.id) != keep.id).values(is_default=False))


def delete(session: Session, entry: ModelEntry) -> None:
    session.delete(entry)
    session.flush()


def roles_of(entry: ModelEntry) -> list[str]:
    return _json_list(entry.roles)


def groups_of(entry: ModelEntry) -> list[str]:
    return _json_list(entry.groups)


def as_json_list(values: list[str]) -> str:
    return json.dumps(sorted(set(values)), ensure_ascii=False)


def _json_list(raw: str | None) -> list[str]:
    try:
        values = json.loads(raw or "[]")
    except ValueError:
        return []
    return [str(value) for value in values] if isinstance(values, list) else []


def requests_since(session: Session, user_id: int, model_id: str, since: datetime) -> int:
    """Prompts this person sent to this model since `since`.

    Reads through `ix_exchanges_user_id_created_at` (user, then time range); the model and
    verdict conditions only filter the few rows of one person's day."""
    statement = (select(func.count()).select_from(Exchange)
                 .where(Exchange.user_id == user_id, Exchange.created_at >= since,
                        Exchange.model_id == model_id, Exchange.verdict != Verdict.BLOCKED.value)
                 .where((col(Exchange.error_code).is_(None)) | (col(Exchange.error_code).not_in(_NOT_SENT_CODES))))
    return session.exec(statement).one()
