"""The queries and writes behind the users page in the control room.

Unlike `crud`, the writers here only flush: the control room commits a change together with
its version bump and audit entry (`app/admin/change_log.record_change`), so a user is never
deactivated without the log saying so.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, delete, func, select, update

from app.storage.tables import ApiToken, Role, User, UserSession


@dataclass(frozen=True)
class UserRow:
    user: User
    groups: list[str]
    tokens: int


@dataclass(frozen=True)
class UsersPage:
    rows: list[UserRow]
    page: int
    has_next: bool
    total: int


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def users_page(session: Session, query: str = "", page: int = 1, per_page: int = 25) -> UsersPage:
    from app.storage.groups import groups_of_users

    statement = select(User)
    counting = select(func.count()).select_from(User)
    if query.strip():
        condition = col(User.username).ilike(_like(query.strip()), escape="\\")
        statement, counting = statement.where(condition), counting.where(condition)
    total = session.exec(counting).one()
    found = list(session.exec(statement.order_by(func.lower(User.username), col(User.id))
                              .offset((page - 1) * per_page).limit(per_page + 1)))
    users = found[:per_page]
    ids = [user.id for user in users]
    tokens = {user_id: count for user_id, count in session.exec(
        select(ApiToken.user_id, func.count()).where(col(ApiToken.user_id).in_(ids))
        .group_by(col(ApiToken.user_id)))} if ids else {}
    groups = groups_of_users(session, ids)
    rows = [UserRow(user, groups.get(user.id, []), int(tokens.get(user.id, 0))) for user in users]
    return UsersPage(rows, page, len(found) > per_page, int(total))


def token_count(session: Session, user_id: int) -> int:
    return int(session.exec(select(func.count()).select_from(ApiToken).where(ApiToken.user_id == user_id)).one())


def active_admin_ids(session: Session) -> list[int]:
    """Locked for the rest of the transaction where the database can (PostgreSQL), so two
    administrators demoting each other at once cannot both pass the last-admin check."""
    query = select(User.id).where(User.role == Role.ADMIN.value, col(User.is_active).is_(True))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return list(session.exec(query))


def end_sessions(session: Session, user_id: int, now: datetime, *, keep_hash: str | None = None) -> int:
    query = update(UserSession).where(UserSession.user_id == user_id, col(UserSession.revoked_at).is_(None))
    if keep_hash is not None:
        query = query.where(UserSession.session_hash != keep_hash)
    return session.exec(query.values(revoked_at=now)).rowcount or 0


def delete_tokens(session: Session, user_id: int) -> int:
    result = session.exec(delete(ApiToken).where(ApiToken.user_id == user_id))
    return result.rowcount or 0
