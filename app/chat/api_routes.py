"""OpenAI-compatible endpoints: `GET /v1/models` and `POST /v1/chat/completions`.

Existing tools (the official SDKs, editors, scripts) work by pointing their base URL at
`/v1` and using a Spielraum token as API key. Responses follow OpenAI's shapes exactly;
errors use its error shape through the app's one error handler. The body is parsed by
hand so that broken JSON gets a clear 400 instead of a framework-specific 422.

A streamed answer starts only after the first upstream chunk arrived, so an unreachable
model still gets a proper HTTP error status; a failure later in the stream is sent as an
error event (which the OpenAI SDK raises) and the stream closes without `[DONE]`.
"""
from __future__ import annotations

import json
import secrets
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import ValidationError

from app.chat.api_schema import CHAT_COMPLETIONS_DOC, MODELS_DOC
from app.chat.api_service import ApiChatService, ChatCompletionRequest, PreparedCall
from app.deps import ApiUser, CatalogueDep, SettingsDep
from app.errors import InvalidRequest, PromptTooLong, error_body, prefers_english
from app.request_limits import is_json_type
from app.storage.tables import MAX_ID
from providers import ProviderError, Usage

router = APIRouter(prefix="/v1")


def get_api_chat_service(request: Request) -> ApiChatService:
    return request.app.state.api_chat_service


ApiChatServiceDep = Annotated[ApiChatService, Depends(get_api_chat_service)]


@router.get("/models", **MODELS_DOC)
def list_models(user: ApiUser, catalogue: CatalogueDep) -> dict:
    return {"object": "list", "data": [
        {"id": spec.id, "object": "model", "created": 0, "owned_by": "spielraum",
         "display_name": spec.display_name, "description": spec.description}
        for spec in catalogue.allowed_for(user.role)]}


@router.post("/chat/completions", **CHAT_COMPLETIONS_DOC)
async def chat_completions(
    request: Request, user: ApiUser, service: ApiChatServiceDep, settings: SettingsDep,
    conversation: Annotated[int | None, Header(alias="X-Spielraum-Conversation", ge=1, le=MAX_ID)] = None,
):
    body = await _read_body(request, settings.max_prompt_chars)
    call = await service.prepare(user, body, conversation)
    completion_id = "chatcmpl-" + secrets.token_hex(12)
    created = int(time.time())
    if not body.stream:
        text, usage, finish_reason = await service.complete(call)
        return JSONResponse({
            "id": completion_id, "object": "chat.completion", "created": created, "model": call.spec.id,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                         "logprobs": None, "finish_reason": finish_reason or "stop"}],
            "usage": usage.as_dict(),
        })
    events = service.stream(call)
    try:
        first = await anext(events)
    except StopAsyncIteration:
        first = None
    english = prefers_english(request)
    return StreamingResponse(
        _sse(call, events, first, completion_id, created, english), media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


async def _read_body(request: Request, max_prompt_chars: int) -> ChatCompletionRequest:
    # The content limit is checked per character later; this only stops absurd bodies early,
    # by their announced length before reading them, and by their real length after.
    limit = max_prompt_chars * 8 + 65_536
    content_type = request.headers.get("content-type")
    if content_type and not is_json_type(content_type):
        raise InvalidRequest("Bitte senden Sie den Anfragetext als JSON (Content-Type: application/json).",
                             "Please send the request body as JSON (Content-Type: application/json).",
                             code="unsupported_media_type", status_code=415)
    announced = request.headers.get("content-length", "")
    if announced.isdigit() and int(announced) > limit:
        raise PromptTooLong()
    raw = await request.body()
    if len(raw) > limit:
        raise PromptTooLong()
    try:
        payload = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        raise InvalidRequest("Der Anfragetext ist kein gültiges JSON.",
                             "The request body is not valid JSON.", code="invalid_json") from None
    if not isinstance(payload, dict):
        raise InvalidRequest("Der Anfragetext muss ein JSON-Objekt sein.",
                             "The request body must be a JSON object.", code="invalid_json")
    try:
        return ChatCompletionRequest.model_validate(payload)
    except ValidationError as exc:
        # Field names only, never the values: they may hold a prompt.
        fields = ", ".join(sorted({".".join(str(p) for p in err["loc"]) for err in exc.errors()}))
        raise InvalidRequest(f"Die Anfrage ist fehlerhaft (Felder: {fields}).",
                             f"The request is malformed (fields: {fields}).") from None


def _chunk(completion_id: str, created: int, model: str, delta: dict, finish_reason: str | None) -> dict:
    return {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": model,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}]}


def _data(payload: dict) -> bytes:
    return b"data: " + json.dumps(payload, ensure_ascii=False).encode("utf-8") + b"\n\n"


async def _sse(call: PreparedCall, events: AsyncIterator, first, completion_id: str, created: int,
               english: bool) -> AsyncIterator[bytes]:
    model = call.spec.id
    yield _data(_chunk(completion_id, created, model, {"role": "assistant", "content": ""}, None))
    usage: Usage | None = None
    try:
        pending = [first] if first is not None else []
        while True:
            if pending:
                text, finish_reason, chunk_usage = pending.pop()
            else:
                try:
                    text, finish_reason, chunk_usage = await anext(events)
                except StopAsyncIteration:
                    break
            if text:
                yield _data(_chunk(completion_id, created, model, {"content": text}, None))
            if finish_reason is not None:
                usage = chunk_usage
                yield _data(_chunk(completion_id, created, model, {}, finish_reason))
    except ProviderError as exc:
        yield _data(error_body(exc.http_status, exc.code, exc.user_message, exc.user_message_en,
                               english=english))
        return
    finally:
        await events.aclose()
    if call.include_usage:
        final = _chunk(completion_id, created, model, {}, None)
        final["choices"] = []
        final["usage"] = (usage or Usage()).as_dict()
        yield _data(final)
    yield b"data: [DONE]\n\n"
