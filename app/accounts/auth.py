"""Sign-in, the signed session cookie and its CSRF token.

Passwords are hashed with argon2id (`passwords.py`). The session is Starlette's signed
cookie (HttpOnly, SameSite=Lax) holding only a random session id, the CSRF token and the
chosen language; the id is checked against `user_sessions` on every request
(`user_sessions.py`), so logout and a password change end a session everywhere. The signing secret comes from SPIELRAUM_SECRET_KEY or is generated
once and kept in a file in the data directory, so sessions survive a restart.
"""
from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

from sqlmodel import Session, select
from starlette.requests import Request

from app.accounts.passwords import DUMMY_HASH as _DUMMY_HASH
from app.accounts.passwords import generate_password, hash_password, verify_password  # noqa: F401 - re-exported
from app.accounts.user_sessions import SESSION_ID_KEY, open_session, revoke_session
from app.errors import CsrfFailed
from app.storage.tables import User
from app.settings import Settings

SESSION_CSRF_KEY = "csrf"
# The user id rides along as a hint for middleware that runs before the dependencies (it
# is signed, so not forged); it is never proof of sign-in: only a live SESSION_ID_KEY is.
SESSION_USER_KEY = "user_id"
SECRET_FILE_NAME = "secret_key"


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.exec(select(User).where(User.username == username.strip())).first()
    if user is None:
        verify_password(password, _DUMMY_HASH)
        return None
    if not user.is_active or not verify_password(password, user.password_hash):
        return None
    return user


def login_session(request: Request, user: User) -> None:
    # A fresh session at login: nothing from before sign-in survives (session fixation).
    lang = request.session.get("lang")
    revoke_current_session(request)
    request.session.clear()
    with Session(request.app.state.engine) as db:
        request.session[SESSION_ID_KEY] = open_session(db, user, request.app.state.settings.session_max_age_seconds)
    request.session[SESSION_USER_KEY] = user.id
    request.session[SESSION_CSRF_KEY] = secrets.token_urlsafe(32)
    if lang:
        request.session["lang"] = lang


def revoke_current_session(request: Request) -> None:
    session_id = request.session.get(SESSION_ID_KEY)
    if session_id:
        with Session(request.app.state.engine) as db:
            revoke_session(db, session_id)


def logout_session(request: Request) -> None:
    lang = request.session.get("lang")
    revoke_current_session(request)
    request.session.clear()
    if lang:
        request.session["lang"] = lang


def csrf_token(request: Request) -> str:
    token = request.session.get(SESSION_CSRF_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_CSRF_KEY] = token
    return token


def verify_csrf(request: Request, token: str | None) -> None:
    expected = request.session.get(SESSION_CSRF_KEY)
    if not expected or not token or not hmac.compare_digest(str(expected), str(token)):
        raise CsrfFailed()


def session_secret(settings: Settings) -> str:
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.data_dir) / SECRET_FILE_NAME
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    # Created owner-only in one step: the secret signs every session.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(secret)
    return secret
