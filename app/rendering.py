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
from guardrails import PLACEHOLDER_RE


def page_context(request: Request, user: Any = None, **extra: Any) -> dict[str, Any]:
    lang = i18n.request_language(request)
    return {"t": i18n.translator(lang), "lang": lang, "user": user,
            "csrf_token": csrf_token(request), **extra}



def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    templates = request.app.state.templates
    return apply_page_headers(templates.TemplateResponse(request, name, context, status_code=status_code))


def placeholder_parts(text: str, lang: str | None = None) -> list[dict[str, Any]]:
    """Split pseudonymised text into plain runs and placeholders, for highlighting without `|safe`.

    Every part has `text` and `placeholder`; given a language, a placeholder also carries the
    label of its type ("Name", "IBAN"), so the mark is explained in words, not colour alone.
    """
    parts: list[dict[str, Any]] = []
    last = 0
    for match in PLACEHOLDER_RE.finditer(text):
        if match.start() > last:
            parts.append({"text": text[last:match.start()], "placeholder": False, "label": None})
        label = i18n.entity_label(match.group(1), 1, lang) if lang else None
        parts.append({"text": match.group(0), "placeholder": True, "label": label})
        last = match.end()
    if last < len(text):
        parts.append({"text": text[last:], "placeholder": False, "label": None})
    return parts
