"""Group membership as the model access check needs it.

Minimal on the models branch (the users engineer owns groups and may extend this module):
the names of a person's groups, read in one small indexed query, and all group names for
the model form's choices.
"""
from __future__ import annotations

from sqlmodel import Session, select

from app.storage.tables import Group, UserGroup


def group_names_of(session: Session, user_id: int) -> set[str]:
    rows = session.exec(select(Group.name).join(UserGroup, UserGroup.group_id == Group.id)
                        .where(UserGroup.user_id == user_id))
    return set(rows)


def all_group_names(session: Session) -> list[str]:
    return list(session.exec(select(Group.name).order_by(Group.name)))
