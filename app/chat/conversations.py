"""The person's own conversation list: one page of it, search, rename, delete, withdraw a turn.

Design choices:
- Rename runs the new title through the guard like a prompt, with the mapping the browser
  kept for that conversation and the conversation's placeholders reserved, so a title never
  stores a name and never reuses a placeholder for a different person.
- Delete removes the conversation with its exchanges and findings for good (storage.crud)
  and logs only ids and a count to `spielraum.audit`, never a title or text.
- Every form also works without JavaScript (redirect back); chat.js asks for JSON.
"""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from app.accounts.auth import verify_csrf
from app.chat.guarding import scan
from app.deps import CurrentUser, GuardDep, SessionDep
from app.errors import InvalidRequest, NotFound
from app.dpo.access import get_references
from app.storage import audit as storage_audit, crud
from guardrails import PLACEHOLDER_RE, Vault

audit = logging.getLogger("spielraum.audit")
router = APIRouter(include_in_schema=False)

PAGE_SIZE = 30


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def date_label(moment: datetime, lang: str, now: datetime | None = None) -> str:
    """A server-side fallback (UTC); chat.js rewrites it in the reader's own time zone."""
    moment, now = _as_utc(moment), now or datetime.now(timezone.utc)
    if moment.date() == now.date():
        return moment.strftime("%H:%M")
    return moment.strftime("%d.%m.%Y") if lang == "de" else moment.strftime("%Y-%m-%d")


def sidebar(session: Any, user_id: int, lang: str, query: str = "", page: int = 1) -> dict[str, Any]:
    """The conversation list for the sidebar: one page, with links to the neighbouring pages."""
    page = max(1, min(page, 10_000))
    items, more = crud.search_conversations(session, user_id, query, offset=(page - 1) * PAGE_SIZE,
                                            limit=PAGE_SIZE)

    def link(number: int) -> str:
        params = {k: v for k, v in (("q", query), ("page", number if number > 1 else None)) if v}
        return "/" + ("?" + urlencode(params) if params else "")

    return {
        "conversations": [{"id": c.id, "title": c.title, "channel": c.channel,
                           "updated_iso": _as_utc(c.updated_at).isoformat(),
                           "updated_label": date_label(c.updated_at, lang)} for c in items],
        "search_query": query,
        "page_prev": link(page - 1) if page > 1 else None,
        "page_next": link(page + 1) if more else None,
    }


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _browser_vault(raw: str) -> dict[str, str]:
    """The mapping chat.js sends along (JSON); anything malformed counts as none."""
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items()
            if isinstance(k, str) and isinstance(v, str) and PLACEHOLDER_RE.fullmatch(k)}


@router.post("/c/{conversation_id}/rename")
async def rename(conversation_id: int, request: Request, user: CurrentUser, session: SessionDep,
                 guard: GuardDep, title: Annotated[str, Form(max_length=1000)] = "",
                 csrf: Annotated[str, Form(max_length=200)] = "",
                 vault: Annotated[str, Form(max_length=100_000)] = "") -> Response:
    verify_csrf(request, csrf)
    if crud.get_conversation(session, user.id, conversation_id) is None:
        raise NotFound()
    title = " ".join(title.split())
    if not title:
        raise InvalidRequest("Bitte geben Sie einen Titel ein.", "Please enter a title.", code="empty_title")
    if len(title) > 200:
        raise InvalidRequest("Der Titel ist zu lang (höchstens 200 Zeichen).",
                             "The title is too long (at most 200 characters).", code="title_too_long")
    mapping = Vault(_browser_vault(vault))
    for exchange in crud.list_exchanges(session, conversation_id):
        mapping.reserve_placeholders_in(exchange.prompt_pseudonymised or "")
        mapping.reserve_placeholders_in(exchange.answer_pseudonymised or "")
    result = await scan(guard, title, mapping)
    if result.blocked:
        raise InvalidRequest("Der Titel enthält Daten, die nicht gespeichert werden dürfen. Bitte wählen Sie einen anderen.",
                             "The title contains data that must not be stored. Please choose another.",
                             code="title_blocked")
    conversation = crud.rename_conversation(session, user.id, conversation_id, result.text)
    if _wants_json(request):
        return JSONResponse({"id": conversation.id, "title": conversation.title,
                             "vault": {p: v for p, v in mapping.as_mapping().items() if p != v}})
    return RedirectResponse(f"/c/{conversation_id}", status_code=303)


@router.post("/c/{conversation_id}/delete")
def delete(conversation_id: int, request: Request, user: CurrentUser, session: SessionDep,
           csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    verify_csrf(request, csrf)
    removed = crud.delete_conversation(session, user.id, conversation_id)
    if removed is None:
        raise NotFound()
    audit.info("conversation.deleted", extra={"user_id": user.id, "conversation_id": conversation_id,
                                              "exchanges": removed})
    _to_audit_log(request, session, user, "conversation_deleted", f"conversation:{conversation_id}",
                  exchanges=removed)
    if _wants_json(request):
        return JSONResponse({"deleted": conversation_id, "exchanges": removed})
    return RedirectResponse("/", status_code=303)


@router.post("/c/{conversation_id}/exchanges/{exchange_id}/withdraw")
def withdraw(conversation_id: int, exchange_id: int, request: Request, user: CurrentUser,
             session: SessionDep, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    """Regenerate and edit replace the last turn: it leaves the history the model sees."""
    verify_csrf(request, csrf or request.headers.get("x-csrf-token", ""))
    if not crud.withdraw_last_exchange(session, user.id, conversation_id, exchange_id):
        raise InvalidRequest("Nur die letzte Nachricht einer Unterhaltung kann ersetzt werden.",
                             "Only the last message of a conversation can be replaced.",
                             code="not_last_exchange")
    audit.info("exchange.withdrawn", extra={"user_id": user.id, "conversation_id": conversation_id,
                                            "exchange_id": exchange_id})
    _to_audit_log(request, session, user, "exchange_withdrawn", f"exchange:{exchange_id}",
                  conversation_id=conversation_id)
    return JSONResponse({"withdrawn": exchange_id})


def _to_audit_log(request: Request, session, user, action: str, target: str, **detail) -> None:
    """The DPO's audit log learns of a deletion by its owner: ids and counts, never content."""
    references = get_references(request)
    storage_audit.append(session, action=action, actor_id=user.id, actor=references.of(user.id),
                         actor_role=user.role, target=target, detail=detail)
