"""/admin/changes: the control room's audit entries (`config.*`), newest first, by area."""
from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.admin.access import AdminUser
from app.admin.change_view import view
from app.deps import SessionDep
from app.dpo.filters import parse_page
from app.errors import InvalidRequest
from app.rendering import page_context, render
from app.storage import config_store

router = APIRouter(prefix="/admin/changes", include_in_schema=False)

PER_PAGE = 50
_AREA = re.compile(r"^[a-z_]{1,20}$")


@router.get("")
def changes(request: Request, user: AdminUser, session: SessionDep) -> Response:
    page = parse_page(request.query_params.get("page"))
    area = request.query_params.get("area") or None
    if area is not None and not _AREA.match(area):
        raise InvalidRequest("Diesen Bereich gibt es nicht.", "This area does not exist.")
    entries, has_next = config_store.config_changes(session, area=area, page=page, per_page=PER_PAGE)
    context = page_context(request, user, changes=[view(entry) for entry in entries], page=page,
                           has_next=has_next, area=area or "", areas=config_store.change_areas(session))
    return render(request, "admin/changes.html", context)
