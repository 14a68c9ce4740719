"""The append-only audit log of DPO and admin actions.

Only `append` writes; there is deliberately no function that changes or removes an entry.
Callers pass ids, filters and counts; free text (a reason, a search term) must already be
pseudonymised by the guard, so no original personal value reaches this table.
"""
from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, col, select

from app.storage.tables import AuditEntry


def append(session: Session, *, action: str, actor_id: int | None, actor: str, actor_role: str,
           target: str = "", detail: dict[str, Any] | None = None, commit: bool = True) -> AuditEntry:
    """Add one entry; with `commit=False` it joins the caller's transaction (a configuration
    import writes its changes and their entries all at once or not at all)."""
    entry = AuditEntry(action=action[:32], actor_id=actor_id, actor=actor[:64], actor_role=actor_role[:16],
                       target=target[:64], detail=json.dumps(detail or {}, ensure_ascii=False, sort_keys=True,
                                                             default=str))
    session.add(entry)
    if commit:
        session.commit()
        session.refresh(entry)
    return entry


def recent(session: Session, *, page: int = 1, per_page: int = 100, action: str | None = None
           ) -> tuple[list[AuditEntry], bool]:
    query = select(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
    rows = list(session.exec(query.order_by(col(AuditEntry.id).desc())
                             .offset((page - 1) * per_page).limit(per_page + 1)))
    return rows[:per_page], len(rows) > per_page
