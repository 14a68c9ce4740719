"""Groups (departments) and their members.

Models are restricted to groups by *name* (`ModelEntry.groups` is a JSON list of names), so
renaming a group rewrites those lists in the same transaction and deleting a group that a
model still names is refused: otherwise a restriction would silently point at nothing.

The writers here flush but do not commit: the control room's `record_change` commits the
change, its version bump and its audit entry together.
"""
from __future__ import annotations

import json
from collections.abc import Iterable

from sqlmodel import Session, col, func, select

from app.storage.tables import Group, ModelEntry, User, UserGroup

NAME_MAX = 64
DESCRIPTION_MAX = 500


def group_names_of(session: Session, user_id: int) -> set[str]:
    """The names of the groups the user belongs to (one indexed join)."""
    return set(session.exec(
        select(Group.name).join(UserGroup, col(UserGroup.group_id) == col(Group.id))
        .where(UserGroup.user_id == user_id)))


def list_groups(session: Session) -> list[tuple[Group, int]]:
    """Every group with its number of members, by name."""
    counts = (select(UserGroup.group_id, func.count().label("members"))
              .group_by(col(UserGroup.group_id)).subquery())
    rows = session.exec(select(Group, func.coalesce(counts.c.members, 0))
                        .join(counts, counts.c.group_id == col(Group.id), isouter=True)
                        .order_by(col(Group.name)))
    return [(group, int(members)) for group, members in rows]


def get_group(session: Session, group_id: int) -> Group | None:
    return session.get(Group, group_id)


def get_group_by_name(session: Session, name: str) -> Group | None:
    return session.exec(select(Group).where(Group.name == name)).first()


def groups_by_names(session: Session, names: Iterable[str]) -> list[Group]:
    wanted = sorted(set(names))
    if not wanted:
        return []
    return list(session.exec(select(Group).where(col(Group.name).in_(wanted)).order_by(col(Group.name))))


def create_group(session: Session, name: str, description: str = "") -> Group:
    group = Group(name=name, description=description)
    session.add(group)
    session.flush()
    return group


def models_naming(session: Session, name: str) -> list[str]:
    """The model ids whose group restriction names this group."""
    found = []
    for model_id, groups in session.exec(select(ModelEntry.model_id, ModelEntry.groups)):
        if name in _names(groups):
            found.append(model_id)
    return sorted(found)


def update_group(session: Session, group: Group, *, name: str, description: str) -> list[str]:
    """Rename and describe; returns the model ids whose restriction was rewritten to the new name."""
    old = group.name
    rewritten: list[str] = []
    if name != old:
        for entry in session.exec(select(ModelEntry)):
            names = _names(entry.groups)
            if old in names:
                entry.groups = json.dumps([name if n == old else n for n in names], ensure_ascii=False)
                session.add(entry)
                rewritten.append(entry.model_id)
    group.name = name
    group.description = description
    session.add(group)
    session.flush()
    return sorted(rewritten)


def delete_group(session: Session, group: Group) -> None:
    """Remove the group and its memberships (the caller checked `models_naming` first)."""
    for link in session.exec(select(UserGroup).where(UserGroup.group_id == group.id)):
        session.delete(link)
    session.flush()
    session.delete(group)
    session.flush()


def members(session: Session, group_id: int) -> list[User]:
    return list(session.exec(
        select(User).join(UserGroup, col(UserGroup.user_id) == col(User.id))
        .where(UserGroup.group_id == group_id).order_by(col(User.username))))


def set_user_groups(session: Session, user_id: int, group_ids: Iterable[int]) -> None:
    """Make the user's memberships exactly these groups."""
    wanted = set(group_ids)
    current = {link.group_id: link for link in session.exec(select(UserGroup).where(UserGroup.user_id == user_id))}
    for group_id, link in current.items():
        if group_id not in wanted:
            session.delete(link)
    for group_id in wanted - set(current):
        session.add(UserGroup(user_id=user_id, group_id=group_id))
    session.flush()


def add_member(session: Session, group_id: int, user_id: int) -> bool:
    if session.get(UserGroup, (user_id, group_id)) is not None:
        return False
    session.add(UserGroup(user_id=user_id, group_id=group_id))
    session.flush()
    return True


def remove_member(session: Session, group_id: int, user_id: int) -> bool:
    link = session.get(UserGroup, (user_id, group_id))
    if link is None:
        return False
    session.delete(link)
    session.flush()
    return True


def groups_of_users(session: Session, user_ids: Iterable[int]) -> dict[int, list[str]]:
    """Group names per user, for a page of the users list (one query)."""
    ids = list(user_ids)
    result: dict[int, list[str]] = {user_id: [] for user_id in ids}
    if not ids:
        return result
    rows = session.exec(select(UserGroup.user_id, Group.name)
                        .join(Group, col(Group.id) == col(UserGroup.group_id))
                        .where(col(UserGroup.user_id).in_(ids)).order_by(col(Group.name)))
    for user_id, name in rows:
        result[user_id].append(name)
    return result


def _names(raw: str | None) -> list[str]:
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return []
    return [str(item) for item in value] if isinstance(value, list) else []


def all_group_names(session: Session) -> list[str]:
    """Every group's name, for the model form's choices."""
    return list(session.exec(select(Group.name).order_by(col(Group.name))))
