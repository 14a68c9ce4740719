"""OpenAI-compatible endpoints: `GET /v1/models` and `POST /v1/chat/completions`.

Existing tools (the official SDKs, editors, scripts) work by pointing their base URL at
`/v1` and using a Spielraum token as API key. Responses follow OpenAI's shapes exactly;
errors use its error shape through the app's one error handler. The body is parsed by
hand so that broken JSON gets a clear 400 instead of a framework-specific 422.

This is a thin adapter over the one chat pipeline (`pipeline.py`): it frames the pipeline's
events as OpenAI JSON or SSE, and turns a `Failed` or `Blocked` before the answer into the
HTTP error the web chat shows as an `error` / `blocked` event (same code, same message).

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
from app.chat.api_service import ChatCompletionRequest, api_input
from app.chat.events import Blocked, Delta, Done, Event, Failed, Sent
from app.chat.pipeline import ChatPipeline, ChatRequest
from app.chat.model_access import offer_for
from app.deps import ApiUser, ModelDirectoryDep, SessionDep, SettingsDep
from app.errors import AppError, InvalidRequest, PiiBlocked, PromptTooLong, error_body, prefers_english
from providers import Usage
from app.request_limits import is_json_type
from app.storage.tables import MAX_ID

router = APIRouter(prefix="/v1")


def get_chat_pipeline(request: Request) -> ChatPipeline:
    return request.app.state.chat_pipeline


ChatPipelineDep = Annotated[ChatPipeline, Depends(get_chat_pipeline)]


@router.get("/models", **MODELS_DOC)
def list_models(user: ApiUser, session: SessionDep, models: ModelDirectoryDep) -> dict:
    offer = offer_for(session, models, user)
    return {"object": "list", "data": [
        {"id": spec.id, "object": "model", "created": 0, "owned_by": "spielraum",
         "display_name": spec.display_name, "description": spec.description,
         "default": offer.default is spec}
        for spec in offer.models]}


@router.post("/chat/completions", **CHAT_COMPLETIONS_DOC)
async def chat_completions(
    request: Request, user: ApiUser, pipeline: ChatPipelineDep, settings: SettingsDep,
    conversation: Annotated[int | None, Header(alias="X-Spielraum-Conversation", ge=1, le=MAX_ID)] = None,
):
    body = await _read_body(request, settings.max_prompt_chars)
    events = pipeline.run(ChatRequest(
        user=user, model_id=body.model, source=api_input(body), conversation_id=conversation,
        stream=body.stream, max_tokens=body.max_completion_tokens or body.max_tokens,
        temperature=body.temperature))
    completion_id = "chatcmpl-" + secrets.token_hex(12)
    created = int(time.time())
    try:
        sent = await _until_sent(events)
        if not body.stream:
            response = await _whole_answer(events, sent, completion_id, created)
            await events.aclose()
            return response
        # The response starts only with the first answer event, so an unreachable model
        # still gets a proper HTTP error status.
        first = await anext(events, None)
        _raise_if_failed(first)
    except BaseException:
        await events.aclose()
        raise
    include_usage = bool((body.stream_options or {}).get("include_usage"))
    return StreamingResponse(
        _sse(events, first, sent.model_id, completion_id, created, include_usage, prefers_english(request)),
        media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


class _EventError(AppError):
    """A pipeline `Failed` event as the HTTP error the app's one error handler renders."""

    def __init__(self, failed: Failed) -> None:
        super().__init__(failed.message_de, failed.message_en, code=failed.code, status_code=failed.http_status,
                         extra=failed.extra)
        self.retry_after = failed.retry_after


def _raise_if_failed(event: Event | None) -> None:
    if isinstance(event, Failed):
        raise _EventError(event)
    if isinstance(event, Blocked):
        raise PiiBlocked(event.message_de, event.message_en, extra={"entity_types": event.entity_types})


async def _until_sent(events: AsyncIterator[Event]) -> Sent:
    event = await anext(events, None)
    _raise_if_failed(event)
    if not isinstance(event, Sent):
        raise _EventError(Failed("internal_error", "Ein unerwarteter Fehler ist aufgetreten.",
                                 "An unexpected error occurred.", 500))
    return event


async def _whole_answer(events: AsyncIterator[Event], sent: Sent, completion_id: str, created: int) -> JSONResponse:
    text: list[str] = []
    async for event in events:
        _raise_if_failed(event)
        if isinstance(event, Delta):
            text.append(event.text)
        elif isinstance(event, Done):
            return JSONResponse({
                "id": completion_id, "object": "chat.completion", "created": created, "model": sent.model_id,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": "".join(text)},
                             "logprobs": None, "finish_reason": event.finish_reason}],
                "usage": event.usage.as_dict(),
            })
    raise _EventError(Failed("internal_error", "Ein unerwarteter Fehler ist aufgetreten.",
                             "An unexpected error occurred.", 500))


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


async def _sse(events: AsyncIterator[Event], first: Event | None, model: str, completion_id: str, created: int,
               include_usage: bool, english: bool) -> AsyncIterator[bytes]:
    yield _data(_chunk(completion_id, created, model, {"role": "assistant", "content": ""}, None))
    usage = Usage()
    try:
        pending = [first] if first is not None else []
        while True:
            event = pending.pop() if pending else await anext(events, None)
            if event is None:
                break
            if isinstance(event, Delta):
                yield _data(_chunk(completion_id, created, model, {"content": event.text}, None))
            elif isinstance(event, Done):
                usage = event.usage
                yield _data(_chunk(completion_id, created, model, {}, event.finish_reason))
            elif isinstance(event, Failed):
                # Mid-stream: an error event (which the OpenAI SDK raises), and no [DONE].
                yield _data(error_body(event.http_status, event.code, event.message_de, event.message_en,
                                       english=english))
                return
    finally:
        await events.aclose()
    if include_usage:
        final = _chunk(completion_id, created, model, {}, None)
        final["choices"] = []
        final["usage"] = usage.as_dict()
        yield _data(final)
    yield b"data: [DONE]\n\n"
