"""Who may use the control room: the `admin` role, nobody else (a DPO reviews, IT configures)."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from app.deps import require_role
from app.storage.tables import Role, User

AdminUser = Annotated[User, Depends(require_role(Role.ADMIN.value))]
