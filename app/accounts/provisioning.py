"""Creating accounts from the command line, including the first administrator.

Generated passwords and tokens are returned to the caller to print once; they are stored
only as hashes. The first start with an empty user table creates `admin`, with the password
from SPIELRAUM_ADMIN_PASSWORD or a generated one, so a fresh installation is usable at once.
"""
from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.storage import crud
from app.accounts.api_tokens import create_api_token
from app.accounts.auth import generate_password
from app.storage.tables import ROLES, UserCreate
from app.settings import Settings

ADMIN_USERNAME = "admin"


class AccountError(Exception):
    """A problem a person can fix: the message says what to do."""


def ensure_admin(engine: Engine, settings: Settings) -> str | None:
    """Create `admin` if there are no users yet; return a generated password (else None)."""
    with Session(engine) as session:
        if crud.count_users(session) > 0:
            return None
        generated = None if settings.admin_password else generate_password()
        crud.create_user(session, UserCreate(username=ADMIN_USERNAME, role="admin",
                                             password=settings.admin_password or generated))
        return generated


def add_user(engine: Engine, username: str, role: str, password: str | None) -> str | None:
    """Create a user; return the generated password when none was given."""
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    username = username.strip()
    if not username:
        raise AccountError("the user name must not be empty")
    generated = None if password else generate_password()
    password = password or generated
    if len(password) < 8:
        raise AccountError("the password must have at least 8 characters")
    with Session(engine) as session:
        if crud.get_user_by_username(session, username) is not None:
            raise AccountError(f"a user named {username!r} already exists")
        crud.create_user(session, UserCreate(username=username, role=role, password=password))
    return generated


def new_token(engine: Engine, username: str, name: str = "") -> str:
    with Session(engine) as session:
        user = crud.get_user_by_username(session, username)
        if user is None:
            raise AccountError(f"there is no user named {username!r}; create it with 'spielraum user add'")
        _, token = create_api_token(session, user, name)
        return token
