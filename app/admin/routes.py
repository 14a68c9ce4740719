"""The control room's entry page; each section has its own route module in this package."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.admin.access import AdminUser
from app.admin.sections import SECTIONS
from app.rendering import page_context, render

router = APIRouter(prefix="/admin")


@router.get("", include_in_schema=False)
def overview(request: Request, user: AdminUser) -> Response:
    return render(request, "admin/index.html", page_context(request, user, sections=SECTIONS))
