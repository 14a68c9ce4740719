"""One counter per configuration area, raised by every change made in the control room.

Workers cache what they build from the configuration (the model catalogue, the guard policy)
together with the version they built it from. Reading one small row per request tells a
worker that another process changed something, so no restart and no message bus is needed.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from sqlmodel import Session, select

from app.storage.tables import ConfigVersion, utcnow

T = TypeVar("T")

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


class VersionedValue(Generic[T]):
    """What one process built from an area's configuration, rebuilt when the area's version moved.

    `get` costs one primary-key read; `build` runs (under a lock, once per change) only when
    the version differs from the one the current value was built from. The value and its
    version are kept as one tuple, so a reader never pairs a version with another's value.
    """

    def __init__(self, area: str, build: Callable[[Session], T], initial: T) -> None:
        self.area = area
        self._build = build
        self._lock = threading.Lock()
        self._built: tuple[int | None, T] = (None, initial)

    def get(self, session: Session) -> T:
        version = current(session, self.area)
        built_version, value = self._built
        if version == built_version:
            return value
        with self._lock:
            if self._built[0] != version:
                self._built = (version, self._build(session))
            return self._built[1]

    def peek(self) -> T:
        """The last value built, without asking the database."""
        return self._built[1]
