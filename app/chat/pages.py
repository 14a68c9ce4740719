"""Server-rendered pages of the web chat and the NDJSON stream behind it.

The pages are plain Jinja2 templates; the chat page hands its data to `static/chat.js` as
one JSON blob (`chat_config`) so the script holds no user-facing text and needs no second
request to start. The server only ever has the pseudonymised conversation: originals
come back from the browser's own vault with each prompt and are never rendered here.
"""
from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field

from app import i18n
from app.storage import crud
from app.storage.dpo_queries import hidden_exchange_ids
from app.chat import conversations
from app.chat.ndjson import ndjson_line
from app.chat.marks import MARK_TYPES, MAX_MARKS, Mark, as_terms
from app.chat.web_service import ChatTurn
from app.chat.model_access import offer_for
from app.deps import ChatServiceDep, CurrentUser, ModelDirectoryDep, OptionalUser, SessionDep
from app.accounts.auth import verify_csrf
from app.errors import NotFound
from app.storage.tables import MAX_ID
from app.rendering import page_context, placeholder_parts, render
from guardrails import PLACEHOLDER_RE

log = logging.getLogger(__name__)

router = APIRouter()



def placeholder_summary(text: str) -> dict[str, int]:
    """Distinct placeholders per entity type, e.g. {"PERSON": 2, "IBAN_CODE": 1}."""
    distinct = {match.group(0): match.group(1) for match in PLACEHOLDER_RE.finditer(text)}
    return dict(Counter(distinct.values()))


@router.get("/about", include_in_schema=False)
def about(request: Request, user: OptionalUser) -> Response:
    return render(request, "about.html", page_context(request, user))


# -- chat pages ------------------------------------------------------------------------
def _chat_page(request: Request, user: Any, session: Any, directory: Any, conversation: Any) -> Response:
    lang = i18n.request_language(request)
    offer = offer_for(session, directory, user)
    models = offer.models
    names = {m.id: m.display_name for m in offer.catalogue.models}
    exchanges = []
    if conversation is not None:
        stored = crud.list_exchanges(session, conversation.id)
        # A DPO flagged personal data the guard missed: the text is withheld from this view.
        withheld = hidden_exchange_ids(session, [ex.id for ex in stored])
        for ex in stored:
            prompt, answer = ex.prompt_pseudonymised or "", ex.answer_pseudonymised or ""
            if ex.id in withheld:
                prompt = answer = i18n.translator(lang)("text_withheld")
            exchanges.append({
                "id": ex.id, "prompt": prompt, "answer": answer, "verdict": ex.verdict,
                "error_code": ex.error_code, "legend": i18n.legend(placeholder_summary(prompt), lang),
                "model_label": names.get(ex.model_id, ex.model_id),
                "prompt_parts": placeholder_parts(prompt), "answer_parts": placeholder_parts(answer),
            })
    allowed_ids = [m.id for m in models]
    # A conversation continues with its model; a new one starts with the default IT chose.
    selected = conversation.model_id if conversation is not None and conversation.model_id in allowed_ids else (
        offer.default.id if offer.default is not None else None)
    max_chars = request.app.state.settings.max_prompt_chars
    chat_config = {
        **i18n.client_strings(lang),
        "conversation_id": conversation.id if conversation is not None else None,
        "max_prompt_chars": max_chars,
        "username": user.username,
        "model_names": {m.id: m.display_name for m in models},
        "exchanges": [{k: v for k, v in ex.items() if not k.endswith("_parts")} for ex in exchanges],
    }
    try:
        page_number = int(request.query_params.get("page", "1"))
    except ValueError:
        page_number = 1
    query = request.query_params.get("q", "")[:200]
    # A prompt from the library (/?prompt=...) only fills the input; it is never sent by itself.
    prefill = request.query_params.get("prompt", "")[:max_chars] if conversation is None else ""
    mark_types = [(kind, i18n.entity_label(kind, 1, lang)) for kind in MARK_TYPES]
    context = page_context(request, user, conversation=conversation, exchanges=exchanges, models=models,
                           mark_types=mark_types,
                           selected_model=selected, chat_config=chat_config, max_prompt_chars=max_chars,
                           prefill=prefill, examples=i18n.example_tasks(lang),
                           **conversations.sidebar(session, user.id, lang, query, page_number))
    return render(request, "chat.html", context)


@router.get("/", include_in_schema=False)
def chat_home(request: Request, user: CurrentUser, session: SessionDep, models: ModelDirectoryDep) -> Response:
    return _chat_page(request, user, session, models, None)


@router.get("/c/{conversation_id}", include_in_schema=False)
def chat_conversation(conversation_id: str, request: Request, user: CurrentUser, session: SessionDep,
                      models: ModelDirectoryDep) -> Response:
    # A malformed id (/c/abc) is a page that does not exist, not a developer's validation error.
    valid = conversation_id.isdigit() and len(conversation_id) <= 10 and 1 <= int(conversation_id) <= MAX_ID
    conversation = crud.get_conversation(session, user.id, int(conversation_id)) if valid else None
    if conversation is None:
        # Someone else's conversation looks exactly like a missing one.
        raise NotFound()
    return _chat_page(request, user, session, models, conversation)


# -- the stream ------------------------------------------------------------------------
class ChatStreamRequest(BaseModel):
    conversation_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    model_id: str = Field(min_length=1, max_length=200)
    prompt: str = Field(min_length=1)
    vault: dict[str, str] = Field(default_factory=dict)
    marks: list[Mark] = Field(default_factory=list, max_length=MAX_MARKS)   # from the preview
    csrf: str = Field(default="", max_length=200)

    def turn(self, user) -> ChatTurn:
        vault = {key: value for key, value in self.vault.items() if PLACEHOLDER_RE.fullmatch(key)}
        return ChatTurn(user=user, model_id=self.model_id, prompt=self.prompt,
                        conversation_id=self.conversation_id, vault=vault, marks=as_terms(self.marks))


@router.post("/chat/stream", include_in_schema=False)
async def chat_stream(body: ChatStreamRequest, request: Request, user: CurrentUser,
                      chat: ChatServiceDep) -> StreamingResponse:
    verify_csrf(request, body.csrf or request.headers.get("x-csrf-token", ""))
    turn = body.turn(user)

    async def events():
        # `user` was looked up in a short session of its own (app/deps.py): no database
        # connection is held while this stream waits for the model.
        try:
            async for event in chat.stream_turn(turn):
                yield ndjson_line(event)
        except Exception as exc:  # noqa: BLE001 - the browser must get a readable end, not a cut stream
            # Only the type is logged: a message could quote the prompt.
            log.error("chat stream failed: %s", type(exc).__name__)
            t_de, t_en = i18n.translator("de"), i18n.translator("en")
            yield ndjson_line({"type": "error", "code": "internal_error",
                               "message_de": t_de("error_default"), "message_en": t_en("error_default")})

    return StreamingResponse(events(), media_type="application/x-ndjson",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


@router.post("/chat/preview", include_in_schema=False)
async def chat_preview(body: ChatStreamRequest, request: Request, user: CurrentUser,
                       chat: ChatServiceDep) -> JSONResponse:
    """What would be sent, without sending or storing anything (the person's last look)."""
    verify_csrf(request, body.csrf or request.headers.get("x-csrf-token", ""))
    wire = await chat.preview(body.turn(user))
    if wire["type"] == "error":
        return JSONResponse({"error": wire}, status_code=wire.get("status", 400))
    return JSONResponse(wire)
