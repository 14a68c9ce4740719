"""The rules behind the account page: a person changes their own password and manages
their own API tokens.

The current password is checked under the sign-in throttle (same account and address
counters as the login form), so the page is no side door for guessing. A successful change
ends every other session of the user and clears `must_change_password`; it is audited by
user id only. Passwords never appear in a message, a log line or an exception.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.accounts.api_tokens import create_api_token
from app.accounts.login_throttle import SignInThrottle
from app.accounts.password_rule import WeakPassword, check_password
from app.accounts.passwords import verify_password
from app.accounts.user_sessions import revoke_all_sessions
from app.storage import crud
from app.storage.tables import ApiToken, User

audit = logging.getLogger("spielraum.audit")

TOKEN_NAME_MAX = 100


@dataclass
class PasswordChangeRefused(Exception):
    """Why the change was refused: an i18n key, or the rule's own messages."""

    key: str
    status: int = 400
    message_de: str = ""
    message_en: str = ""
    retry_after: int = 0

    def message(self, t, lang: str) -> str:
        if self.key == "account_pw_weak":
            return self.message_de if lang == "de" else self.message_en
        text = t(self.key)
        return text.format(minutes=max(1, -(-self.retry_after // 60))) if self.retry_after else text


def change_own_password(engine: Engine, throttle: SignInThrottle, user: User, *, current: str, new: str,
                        repeated: str, address: str, keep_session_id: str | None) -> int:
    """Check and set the new password; return how many other sessions ended."""
    wait = throttle.retry_after(user.username, address)
    if wait:
        raise PasswordChangeRefused("account_pw_throttled", 429, retry_after=wait)
    with Session(engine) as session:
        row = session.get(User, user.id)
        if row is None or not verify_password(current, row.password_hash):
            wait = throttle.record_failure(user.username, address)
            audit.info("account.password_change_refused", extra={"user_id": user.id, "reason": "wrong_current"})
            if wait:
                raise PasswordChangeRefused("account_pw_throttled", 429, retry_after=wait)
            raise PasswordChangeRefused("account_pw_wrong_current")
        throttle.record_success(user.username)
        if new != repeated:
            raise PasswordChangeRefused("account_pw_mismatch")
        if new == current:
            raise PasswordChangeRefused("account_pw_same")
        try:
            check_password(new, row.username)
        except WeakPassword as exc:
            raise PasswordChangeRefused("account_pw_weak", message_de=exc.message_de,
                                        message_en=exc.message_en) from None
        crud.set_password(session, row, new, must_change=False)
        ended = revoke_all_sessions(session, row.id, except_session_id=keep_session_id)
    audit.info("account.password_changed", extra={"user_id": user.id, "sessions_ended": ended})
    return ended


def own_tokens(session: Session, user: User) -> list[ApiToken]:
    return crud.list_api_tokens(session, user.id)


def create_own_token(session: Session, user: User, name: str) -> str:
    """A new token for the user; the returned secret exists only in this response."""
    row, token = create_api_token(session, user, name.strip()[:TOKEN_NAME_MAX])
    audit.info("account.token_created", extra={"user_id": user.id, "token_id": row.id})
    return token


def revoke_own_token(session: Session, user: User, token_id: int) -> bool:
    revoked = crud.delete_api_token(session, user.id, token_id)
    if revoked:
        audit.info("account.token_revoked", extra={"user_id": user.id, "token_id": token_id})
    return revoked
