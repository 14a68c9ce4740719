"""Every change made in the control room goes to the append-only audit log.

The entry says who changed what, with the values before and after. Secrets never appear:
any field whose name says it holds one is replaced by a marker telling only whether it was
set, so the log shows "a new API key was entered" without the key.
"""
from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.storage import audit
from app.storage.tables import User

_SECRET_WORDS = ("api_key_encrypted", "api_key_value", "secret", "password", "token_hash")
SECRET_SET = "(gesetzt)"
SECRET_UNSET = "(leer)"


def without_secrets(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    clean: dict[str, Any] = {}
    for key, value in values.items():
        if any(word in key.lower() for word in _SECRET_WORDS):
            clean[key] = SECRET_SET if value else SECRET_UNSET
        elif isinstance(value, dict):
            clean[key] = without_secrets(value)
        else:
            clean[key] = value
    return clean


def record_change(session: Session, actor: User | None, *, area: str, verb: str, target: str,
                  before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    """Append `config.<area>.<verb>` (e.g. config.models.update); `actor` None means the CLI."""
    audit.append(
        session, action=f"config.{area}.{verb}"[:32],
        actor_id=actor.id if actor else None, actor=actor.username if actor else "cli",
        actor_role=actor.role if actor else "cli", target=target,
        detail={"before": without_secrets(before), "after": without_secrets(after)})
