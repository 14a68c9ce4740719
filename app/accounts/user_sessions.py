"""Server-side sign-in sessions: the signed cookie carries a random id, the database says
whether it is still live.

A signed cookie alone cannot be taken back: one copied before logout kept working until it
expired. So every sign-in gets a row in `user_sessions` (the id's sha256, never the id),
every request looks it up (one query on a unique index, joined with the user so a
deactivated account ends at once), and logout, a password change or deactivation revoke it.
`last_seen_at` is written at most every few minutes, so a busy page does not write per request.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session

from app.storage import crud
from app.storage.tables import User, as_utc, utcnow

SESSION_ID_KEY = "sid"
TOUCH_INTERVAL = timedelta(minutes=5)


def hash_session_id(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def open_session(db: Session, user: User, max_age_seconds: int) -> str:
    """Store a new live session for the user; return its id (the only time it exists)."""
    session_id = secrets.token_urlsafe(32)
    now = utcnow()
    crud.create_user_session(db, user_id=user.id, session_hash=hash_session_id(session_id),
                             now=now, expires_at=now + timedelta(seconds=max_age_seconds))
    return session_id


def live_user(db: Session, session_id: object, now: datetime | None = None) -> User | None:
    """The active user of a live (not revoked, not expired) session, else None."""
    if not isinstance(session_id, str) or not session_id or len(session_id) > 200:
        return None
    now = now or utcnow()
    found = crud.live_session(db, hash_session_id(session_id), now)
    if found is None:
        return None
    row, user = found
    if now - as_utc(row.last_seen_at) > TOUCH_INTERVAL:
        crud.touch_user_session(db, row, now)
    return user


def revoke_session(db: Session, session_id: object) -> None:
    if isinstance(session_id, str) and session_id:
        crud.revoke_user_sessions(db, session_hash=hash_session_id(session_id), now=utcnow())


def revoke_all_sessions(db: Session, user_id: int, *, except_session_id: str | None = None) -> int:
    """End every session of the user (password change, deactivation); return how many."""
    keep = hash_session_id(except_session_id) if except_session_id else None
    return crud.revoke_user_sessions(db, user_id=user_id, keep_hash=keep, now=utcnow())
