"""One counter per configuration area, raised by every change made in the control room.

Workers cache what they build from the configuration (the model catalogue, the guard policy)
together with the version they built it from. Reading one small row per request tells a
worker that another process changed something, so no restart and no message bus is needed.
"""
from __future__ import annotations

from sqlmodel import Session, select

from app.storage.tables import ConfigVersion, utcnow

MODELS = "models"
GUARD = "guard"
USERS = "users"


def bump(session: Session, area: str) -> int:
    """Raise the area's version in the caller's transaction (the caller commits)."""
    row = session.get(ConfigVersion, area)
    if row is None:
        row = ConfigVersion(area=area, version=0)
    row.version += 1
    row.changed_at = utcnow()
    session.add(row)
    return row.version


def current(session: Session, area: str) -> int:
    return session.exec(select(ConfigVersion.version).where(ConfigVersion.area == area)).first() or 0
