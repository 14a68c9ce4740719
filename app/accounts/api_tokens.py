"""API tokens for the OpenAI-compatible endpoint: random, shown once, stored as sha256.

A token is 32 random bytes, so a fast hash is enough (no brute force is possible) and the
lookup by hash is a plain indexed query. The prefix `sr-` makes a leaked token easy to spot.
"""
from __future__ import annotations

import hashlib
import secrets

from sqlmodel import Session, select

from app.storage.tables import ApiToken, User, utcnow

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


def user_for_token(session: Session, token: str) -> User | None:
    if not token:
        return None
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).first()
    if row is None:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    row.last_used_at = utcnow()
    session.add(row)
    session.commit()
    session.refresh(user)
    return user
