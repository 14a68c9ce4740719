"""Who may use the desk, and how people appear on it.

Only the `dpo` role: an administrator configures the system but must not read the log,
and an employee never sees other people's data. People appear as pseudonymous references,
a keyed hash of the user id (HMAC with the app's secret): stable, so a DPO can follow one
person's exchanges, but not reversible without the secret and the user table.
"""
from __future__ import annotations

import hashlib
import hmac
from typing import Annotated

from fastapi import Depends, Request

from app.accounts.auth import session_secret
from app.deps import require_role
from app.storage.tables import Role, User

DpoUser = Annotated[User, Depends(require_role(Role.DPO.value))]


class References:
    def __init__(self, secret: str) -> None:
        self._key = ("spielraum-user-reference:" + secret).encode("utf-8")

    def of(self, user_id: int | None) -> str:
        if user_id is None:
            return "—"
        digest = hmac.new(self._key, str(user_id).encode("ascii"), hashlib.sha256).hexdigest()
        return f"U-{digest[:6]}"


def references_for(settings) -> References:
    return References(session_secret(settings))


def get_references(request: Request) -> References:
    state = request.app.state
    if getattr(state, "user_references", None) is None:
        state.user_references = references_for(state.settings)
    return state.user_references


ReferencesDep = Annotated[References, Depends(get_references)]
