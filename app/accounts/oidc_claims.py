"""From a validated ID token's claims to a Spielraum account: subject, name, role, groups.

Pure functions over the claims and the settings, so every mapping rule is tested without a
provider. Providers differ in where they put roles (Keycloak `realm_access.roles`, Entra ID
`roles`), hence the dotted claim paths.
"""
from __future__ import annotations

import hashlib
import re
from typing import Any

from app.settings import Settings

# When a person holds several roles at the provider, the one that can do most wins.
ROLE_PRIORITY = ("admin", "dpo", "curator", "employee")
SUBJECT_MAX = 300
USERNAME_MAX = 64
_USERNAME_CHARS = re.compile(r"[^\w.@+-]", re.UNICODE)


def claim_at(claims: dict[str, Any], path: str) -> Any:
    """The value at a dotted path (`realm_access.roles`), or None."""
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def mapped_role(claims: dict[str, Any], settings: Settings) -> str | None:
    """The Spielraum role the claims grant, the default role, or None (refuse)."""
    if settings.oidc_role_claim:
        provider_roles = _strings(claim_at(claims, settings.oidc_role_claim))
        if settings.oidc_role_map:
            granted = {settings.oidc_role_map[r] for r in provider_roles if r in settings.oidc_role_map}
        else:
            granted = {r for r in provider_roles if r in ROLE_PRIORITY}
        for role in ROLE_PRIORITY:
            if role in granted:
                return role
    return settings.oidc_default_role or None


def mapped_groups(claims: dict[str, Any], settings: Settings) -> list[str] | None:
    """Spielraum group names from the claims; None when no group claim is configured, so
    the memberships IT set on the users page stay as they are."""
    if not settings.oidc_group_claim:
        return None
    names = set()
    for value in _strings(claim_at(claims, settings.oidc_group_claim)):
        # Keycloak sends full paths ("/Sozialamt") unless told otherwise.
        names.add(settings.oidc_group_map.get(value) or value.strip("/"))
    return sorted(name for name in names if name)


def subject_key(issuer: str, subject: str) -> str:
    """Issuer and `sub` together: the same `sub` at another provider is another person."""
    key = f"{issuer}#{subject}"
    if len(key) <= SUBJECT_MAX:
        return key
    return f"{issuer[:200]}#sha256:{hashlib.sha256(key.encode('utf-8')).hexdigest()}"


def username_from(claims: dict[str, Any]) -> str:
    """A readable user name for a new account: preferred_username, else e-mail, else sub."""
    for key in ("preferred_username", "email", "upn", "sub"):
        value = claims.get(key)
        if isinstance(value, str) and value.strip():
            cleaned = _USERNAME_CHARS.sub("-", value.strip())[:USERNAME_MAX]
            if cleaned.strip("-"):
                return cleaned
    return "sso-user"
