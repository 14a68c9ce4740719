"""The Spielraum account behind a single sign-on: found by subject, created, or brought up to date.

The account is found by `external_subject` (issuer + `sub`), never by user name: a local
account called "erika" is not taken over by whoever the provider calls "erika". A new
account gets a free user name (a suffix when the name is taken), `auth_source` "oidc" and
a password hash no password can match. With a role claim configured, the provider decides
the role at every sign-in; with a group claim configured, it decides the groups too (only
groups that exist in Spielraum; IT creates them). A deactivated account stays refused,
whatever the provider says: IT's decision in Spielraum wins.
"""
from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.accounts import oidc_claims
from app.accounts.oidc_provider import OidcRefused
from app.settings import Settings
from app.storage import audit, config_versions, groups as group_store
from app.storage.tables import User

AUTH_SOURCE = "oidc"
# Not an argon2 hash, so `verify_password` can never accept anything for it.
UNUSABLE_PASSWORD_PREFIX = "!oidc:"


def account_for(engine: Engine, settings: Settings, issuer: str, claims: dict[str, Any]) -> User:
    """The active account for these validated claims; OidcRefused("no_role" | "inactive")."""
    role = oidc_claims.mapped_role(claims, settings)
    if role is None:
        raise OidcRefused("no_role")
    subject = oidc_claims.subject_key(issuer, claims["sub"])
    group_names = oidc_claims.mapped_groups(claims, settings)
    with Session(engine, expire_on_commit=False) as session:
        user = session.exec(select(User).where(User.external_subject == subject)).first()
        if user is not None and not user.is_active:
            raise OidcRefused("inactive")
        created = user is None
        if created:
            user = User(username=_free_username(session, oidc_claims.username_from(claims)), role=role,
                        password_hash=UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(32),
                        auth_source=AUTH_SOURCE, external_subject=subject)
            session.add(user)
            session.flush()
        before = {"role": user.role, "groups": sorted(group_store.group_names_of(session, user.id))}
        user.role = role
        session.add(user)
        if group_names is not None:
            known = group_store.groups_by_names(session, group_names)
            group_store.set_user_groups(session, user.id, [g.id for g in known])
        after = {"role": role, "groups": sorted(group_store.group_names_of(session, user.id))}
        if created or before != after:
            config_versions.bump(session, config_versions.USERS)
            # The provider changed the account, so the audit log says so (actor: the sign-in).
            audit.append(session, action="config.users.sso_" + ("create" if created else "update"),
                         actor_id=user.id, actor=user.username, actor_role="oidc", target=f"user:{user.id}",
                         detail={"before": None if created else before, "after": {"username": user.username, **after}})
        else:
            session.commit()
        session.refresh(user)
        return user


def _free_username(session: Session, wanted: str) -> str:
    name = wanted[:oidc_claims.USERNAME_MAX]
    suffix = 1
    while session.exec(select(User.id).where(User.username == name)).first() is not None:
        suffix += 1
        tail = f"-{suffix}"
        name = wanted[:oidc_claims.USERNAME_MAX - len(tail)] + tail
    return name
