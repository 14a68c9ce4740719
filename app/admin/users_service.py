"""The rules of the users and groups pages: what an administrator may change, and how.

Every change is one transaction: the change, `bump(session, "users")` (model access depends
on roles and groups, so workers must notice) and the audit entry with the values before and
after, which `record_change` commits. Passwords and token hashes never enter an entry.

- A password set here (generated, or typed and checked by the password rule) was chosen by
  someone else, so the person must replace it at the next sign-in.
- Deactivating ends the person's sessions in the same transaction; their API tokens stop at
  once because every token lookup requires an active account.
- No change may leave Spielraum without an active administrator.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from sqlmodel import Session, col, select

from app.accounts.password_rule import WeakPassword, check_password
from app.accounts.passwords import generate_password, hash_password
from app.accounts.user_sessions import hash_session_id
from app.admin.change_log import record_change
from app.storage import config_versions, groups as group_store, user_admin
from app.storage.tables import ROLES, Group, User, utcnow

USERNAME_MAX = 64
_USERNAME = re.compile(r"[\w.@+-]+", re.UNICODE)


class AdminRefused(Exception):
    """A change the rules refuse; `key` is the i18n key of the message, `field` the form field."""

    def __init__(self, key: str, field: str = "", *, detail_de: str = "", detail_en: str = "") -> None:
        self.key, self.field, self.detail_de, self.detail_en = key, field, detail_de, detail_en
        super().__init__(key)


def _state(session: Session, user: User) -> dict:
    return {"username": user.username, "role": user.role, "active": user.is_active,
            "groups": sorted(group_store.group_names_of(session, user.id)), "auth_source": user.auth_source}


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        from app.errors import NotFound
        raise NotFound()
    return user


def _groups_by_ids(session: Session, group_ids: Iterable[int]) -> list[Group]:
    ids = sorted(set(group_ids))
    if not ids:
        return []
    found = list(session.exec(select(Group).where(col(Group.id).in_(ids))))
    if len(found) != len(ids):
        raise AdminRefused("admin_users_err_group", "groups")
    return found


def _check_last_admin(session: Session, user: User) -> None:
    admins = user_admin.active_admin_ids(session)
    if user.id in admins and len(admins) == 1:
        raise AdminRefused("admin_users_err_last_admin")


# -- users -------------------------------------------------------------------------------
def create_user(session: Session, actor: User, *, username: str, role: str, password: str,
                group_ids: Iterable[int]) -> tuple[User, str | None]:
    """Create a local account; returns it and the generated password (None when one was typed)."""
    username = username.strip()
    if not username or len(username) > USERNAME_MAX or not _USERNAME.fullmatch(username):
        raise AdminRefused("admin_users_err_username", "username")
    if role not in ROLES:
        raise AdminRefused("admin_users_err_role", "role")
    if session.exec(select(User.id).where(User.username == username)).first() is not None:
        raise AdminRefused("admin_users_err_taken", "username")
    groups = _groups_by_ids(session, group_ids)
    generated = None if password else generate_password(username)
    try:
        check_password(password or generated, username)
    except WeakPassword as weak:
        raise AdminRefused("admin_users_err_password", "password", detail_de=weak.message_de,
                           detail_en=weak.message_en) from None
    user = User(username=username, role=role, password_hash=hash_password(password or generated),
                must_change_password=True, auth_source="local")
    session.add(user)
    session.flush()
    group_store.set_user_groups(session, user.id, [g.id for g in groups])
    config_versions.bump(session, config_versions.USERS)
    record_change(session, actor, area="users", verb="create", target=f"user:{user.id}",
                  after={**_state(session, user), "chosen_by": "generated" if generated else "admin"})
    session.refresh(user)
    return user, generated


def change_role(session: Session, actor: User, user: User, role: str) -> None:
    if role not in ROLES:
        raise AdminRefused("admin_users_err_role", "role")
    if role == user.role:
        return
    if user.role == "admin":
        _check_last_admin(session, user)
    before = _state(session, user)
    user.role = role
    session.add(user)
    config_versions.bump(session, config_versions.USERS)
    record_change(session, actor, area="users", verb="role", target=f"user:{user.id}",
                  before=before, after=_state(session, user))


def set_groups(session: Session, actor: User, user: User, group_ids: Iterable[int]) -> None:
    groups = _groups_by_ids(session, group_ids)
    before = _state(session, user)
    group_store.set_user_groups(session, user.id, [g.id for g in groups])
    after = _state(session, user)
    if after == before:
        return
    config_versions.bump(session, config_versions.USERS)
    record_change(session, actor, area="users", verb="groups", target=f"user:{user.id}", before=before, after=after)


def set_active(session: Session, actor: User, user: User, active: bool) -> int:
    """Deactivate (ending every session now) or reactivate; returns how many sessions ended."""
    if active == user.is_active:
        return 0
    if not active:
        _check_last_admin(session, user)
    before = _state(session, user)
    user.is_active = active
    session.add(user)
    ended = 0 if active else user_admin.end_sessions(session, user.id, utcnow())
    config_versions.bump(session, config_versions.USERS)
    record_change(session, actor, area="users", verb="activate" if active else "deactivate",
                  target=f"user:{user.id}", before=before, after={**_state(session, user), "sessions_ended": ended})
    return ended


def reset_password(session: Session, actor: User, user: User, *, actor_session_id: str | None = None) -> str:
    """A generated password the person must replace; every session of theirs ends (an
    administrator resetting their own keeps the browser that did it)."""
    if user.auth_source != "local":
        raise AdminRefused("admin_users_err_sso_password")
    generated = generate_password(user.username)
    user.password_hash = hash_password(generated)
    user.must_change_password = True
    session.add(user)
    keep = hash_session_id(actor_session_id) if actor_session_id and actor.id == user.id else None
    ended = user_admin.end_sessions(session, user.id, utcnow(), keep_hash=keep)
    record_change(session, actor, area="users", verb="password_reset", target=f"user:{user.id}",
                  after={"username": user.username, "must_change": True, "sessions_ended": ended})
    return generated


def revoke_tokens(session: Session, actor: User, user: User) -> int:
    removed = user_admin.delete_tokens(session, user.id)
    record_change(session, actor, area="users", verb="tokens_revoke", target=f"user:{user.id}",
                  after={"username": user.username, "api_tokens_revoked": removed})
    return removed


# -- groups ------------------------------------------------------------------------------
def _clean_group(session: Session, name: str, description: str, *, current: Group | None = None) -> tuple[str, str]:
    name, description = name.strip(), description.strip()
    if not name or len(name) > group_store.NAME_MAX or "/" in name:
        raise AdminRefused("admin_groups_err_name", "name")
    if len(description) > group_store.DESCRIPTION_MAX:
        raise AdminRefused("admin_groups_err_description", "description")
    other = group_store.get_group_by_name(session, name)
    if other is not None and (current is None or other.id != current.id):
        raise AdminRefused("admin_groups_err_taken", "name")
    return name, description


def create_group(session: Session, actor: User, name: str, description: str) -> Group:
    name, description = _clean_group(session, name, description)
    group = group_store.create_group(session, name, description)
    config_versions.bump(session, config_versions.USERS)
    record_change(session, actor, area="groups", verb="create", target=f"group:{group.id}",
                  after={"name": name, "description": description})
    session.refresh(group)
    return group


def update_group(session: Session, actor: User, group: Group, name: str, description: str) -> list[str]:
    """Rename and describe; a rename rewrites the models' group restrictions (returned)."""
    name, description = _clean_group(session, name, description, current=group)
    before = {"name": group.name, "description": group.description}
    if before == {"name": name, "description": description}:
        return []
    rewritten = group_store.update_group(session, group, name=name, description=description)
    config_versions.bump(session, config_versions.USERS)
    if rewritten:
        config_versions.bump(session, config_versions.MODELS)
    record_change(session, actor, area="groups", verb="update", target=f"group:{group.id}", before=before,
                  after={"name": name, "description": description, "models_rewritten": rewritten})
    return rewritten


def delete_group(session: Session, actor: User, group: Group) -> None:
    """Refused while a model is restricted to the group: the restriction would point at nothing."""
    models = group_store.models_naming(session, group.name)
    if models:
        raise AdminRefused("admin_groups_err_in_use", detail_de=", ".join(models), detail_en=", ".join(models))
    before = {"name": group.name, "description": group.description,
              "members": [u.username for u in group_store.members(session, group.id)]}
    group_id = group.id
    group_store.delete_group(session, group)
    config_versions.bump(session, config_versions.USERS)
    record_change(session, actor, area="groups", verb="delete", target=f"group:{group_id}", before=before)


def change_membership(session: Session, actor: User, group: Group, user: User, member: bool) -> bool:
    changed = (group_store.add_member if member else group_store.remove_member)(session, group.id, user.id)
    if not changed:
        return False
    config_versions.bump(session, config_versions.USERS)
    record_change(session, actor, area="groups", verb="member_add" if member else "member_remove",
                  target=f"group:{group.id}", after={"group": group.name, "username": user.username})
    return True
