"""The accounts service: creating accounts (the first administrator too), changing
passwords and deactivating accounts.

Every password set here passes the password rule (`password_rule.py`); generated ones are
made to pass it. Changing a password or deactivating an account revokes the user's
sign-in sessions at once, and a deactivated user's API tokens stop working on the next
request (`api_tokens.user_for_token` accepts active users only). Generated passwords and
tokens are returned to the caller to print once; they are stored only as hashes. The first start with an empty user table creates `admin`, with the password
from SPIELRAUM_ADMIN_PASSWORD or a generated one, so a fresh installation is usable at once.
"""
from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.storage import crud
from app.accounts.api_tokens import create_api_token
from app.accounts.password_rule import WeakPassword, check_password
from app.accounts.passwords import generate_password
from app.accounts.user_sessions import revoke_all_sessions
from app.storage.tables import ROLES, User, UserCreate
from app.settings import Settings

ADMIN_USERNAME = "admin"


class AccountError(Exception):
    """A problem a person can fix: the message says what to do."""


def _require_strong(password: str, username: str, source: str = "the password") -> None:
    try:
        check_password(password, username)
    except WeakPassword as exc:
        raise AccountError(f"{source} is not accepted: {exc.message_en}") from None


def ensure_admin(engine: Engine, settings: Settings) -> str | None:
    """Create `admin` if there are no users yet; return a generated password (else None).
    A weak SPIELRAUM_ADMIN_PASSWORD is refused with AccountError (the start stops)."""
    with Session(engine) as session:
        if crud.count_users(session) > 0:
            return None
        if settings.admin_password:
            _require_strong(settings.admin_password, ADMIN_USERNAME, "SPIELRAUM_ADMIN_PASSWORD")
        generated = None if settings.admin_password else generate_password(ADMIN_USERNAME)
        # A generated password was chosen by no one: it must be replaced at first sign-in.
        crud.create_user(session, UserCreate(username=ADMIN_USERNAME, role="admin",
                                             password=settings.admin_password or generated),
                         must_change_password=generated is not None)
        return generated


def add_user(engine: Engine, username: str, role: str, password: str | None) -> str | None:
    """Create a user; return the generated password when none was given."""
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    username = username.strip()
    if not username:
        raise AccountError("the user name must not be empty")
    generated = None if password else generate_password(username)
    password = password or generated
    _require_strong(password, username)
    with Session(engine) as session:
        if crud.get_user_by_username(session, username) is not None:
            raise AccountError(f"a user named {username!r} already exists")
        crud.create_user(session, UserCreate(username=username, role=role, password=password),
                         must_change_password=generated is not None)
    return generated


def new_token(engine: Engine, username: str, name: str = "") -> str:
    with Session(engine) as session:
        user = crud.get_user_by_username(session, username)
        if user is None:
            raise AccountError(f"there is no user named {username!r}; create it with 'spielraum user add'")
        _, token = create_api_token(session, user, name)
        return token


def _existing_user(session: Session, username: str) -> User:
    user = crud.get_user_by_username(session, username.strip())
    if user is None:
        raise AccountError(f"there is no user named {username.strip()!r}")
    return user


def change_password(engine: Engine, username: str, new_password: str, *,
                    keep_session_id: str | None = None, must_change: bool = False) -> int:
    """Set a new password (it must pass the rule) and end the user's sessions, all of them
    or all but `keep_session_id` (the browser that made the change). Returns how many ended.
    `must_change`: an administrator set it for the user, who must replace it at next sign-in."""
    with Session(engine) as session:
        user = _existing_user(session, username)
        _require_strong(new_password, user.username)
        crud.set_password(session, user, new_password, must_change=must_change)
        return revoke_all_sessions(session, user.id, except_session_id=keep_session_id)


def deactivate_user(engine: Engine, username: str) -> int:
    """Disable the account: its sessions end and its API tokens stop working at once.
    Returns how many sessions ended."""
    with Session(engine) as session:
        user = _existing_user(session, username)
        crud.set_active(session, user, False)
        return revoke_all_sessions(session, user.id)
