"""Rendering a page: the shared context (translator, language, user, CSRF token) and the headers.

Every workspace renders through here, so each page gets the same security headers and the
same template globals.
"""
from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from app import i18n
from app.accounts.auth import csrf_token
from app.page_headers import apply_page_headers


def page_context(request: Request, user: Any = None, **extra: Any) -> dict[str, Any]:
    lang = i18n.request_language(request)
    return {"t": i18n.translator(lang), "lang": lang, "user": user,
            "csrf_token": csrf_token(request), **extra}



def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    templates = request.app.state.templates
    return apply_page_headers(templates.TemplateResponse(request, name, context, status_code=status_code))
