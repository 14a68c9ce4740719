"""API tokens for the OpenAI-compatible endpoint: random, shown once, stored as sha256.

A token is 32 random bytes, so a fast hash is enough (no brute force is possible) and the
lookup by hash is a plain indexed query. The prefix `sr-` makes a leaked token easy to spot.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlmodel import Session, col, select

from app.storage.tables import ApiToken, User, as_utc, utcnow

TOKEN_PREFIX = "sr-"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_api_token(session: Session, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Store a new token for the user; return the row and the token (the only time it exists)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, token_hash=hash_token(token), name=name)
    session.add(row)
    session.commit()
    session.refresh(row)
    return row, token


# `last_used_at` is for people reviewing tokens; minutes are precise enough, and skipping
# the write on most calls keeps a busy client from writing on every request.
LAST_USED_INTERVAL = timedelta(minutes=5)


def user_for_token(session: Session, token: str) -> User | None:
    """The token's owner, only while the account is active: deactivating a user stops
    their tokens on the very next request (one query on the unique hash index)."""
    if not token:
        return None
    found = session.exec(
        select(ApiToken, User).join(User, col(User.id) == col(ApiToken.user_id))
        .where(ApiToken.token_hash == hash_token(token), col(User.is_active).is_(True))).first()
    if found is None:
        return None
    row, user = found
    now = utcnow()
    if row.last_used_at is None or now - as_utc(row.last_used_at) > LAST_USED_INTERVAL:
        row.last_used_at = now
        session.add(row)
        session.commit()
        session.refresh(user)
    return user
