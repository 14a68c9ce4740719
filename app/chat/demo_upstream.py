"""The demo model's OpenAI-compatible endpoint (see app/demo_model.py).

It sits behind the guard like any upstream: what arrives here is already pseudonymised.
It keeps nothing and logs nothing about the content.
"""
from __future__ import annotations

import json
import time
import uuid

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse

from app.chat.demo_model import DEMO_MODEL_ID, DEMO_PATH

router = APIRouter(prefix=DEMO_PATH, include_in_schema=False)

# The answer is restored before the person reads it, so the intro says so rather than
# claiming the person sees what arrived (that is shown in "Was an das Modell gesendet wurde").
INTRO = ("Ich bin kein echtes Sprachmodell, ich wiederhole nur Ihre Nachricht. Bei mir kam sie mit "
         "Platzhaltern statt Ihrer Daten an; in dieser Antwort hat Spielraum die Platzhalter nur für "
         "Sie wieder durch Ihre Angaben ersetzt:\n\n")


def _answer(body: dict) -> str:
    users = [m for m in body.get("messages", []) if isinstance(m, dict) and m.get("role") == "user"]
    content = users[-1].get("content", "") if users else ""
    if not isinstance(content, str):
        content = json.dumps(content, ensure_ascii=False)
    return INTRO + content


def _usage(body: dict, answer: str) -> dict:
    prompt = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []) if isinstance(m, dict))
    completion = len(answer.split())
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


@router.get("/models")
async def models() -> dict:
    return {"object": "list", "data": [{"id": DEMO_MODEL_ID, "object": "model", "owned_by": "spielraum"}]}


@router.post("/chat/completions")
async def chat_completions(request: Request):
    try:
        body = await request.json()
    except ValueError:
        return JSONResponse({"error": {"message": "invalid JSON", "type": "invalid_request_error"}}, 400)
    answer = _answer(body)
    created, ident = int(time.time()), f"chatcmpl-demo-{uuid.uuid4().hex[:12]}"
    if not body.get("stream"):
        return {"id": ident, "object": "chat.completion", "created": created, "model": DEMO_MODEL_ID,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": answer},
                             "finish_reason": "stop"}],
                "usage": _usage(body, answer)}

    def chunk(delta: dict, finish: str | None = None, usage: dict | None = None) -> str:
        payload = {"id": ident, "object": "chat.completion.chunk", "created": created, "model": DEMO_MODEL_ID,
                   "choices": [{"index": 0, "delta": delta, "finish_reason": finish}] if usage is None else []}
        if usage is not None:
            payload["usage"] = usage
        return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"

    async def events():
        yield chunk({"role": "assistant", "content": ""})
        words = answer.split(" ")
        for i, word in enumerate(words):
            yield chunk({"content": word + (" " if i < len(words) - 1 else "")})
        yield chunk({}, "stop")
        if (body.get("stream_options") or {}).get("include_usage"):
            yield chunk({}, usage=_usage(body, answer))
        yield "data: [DONE]\n\n"

    return StreamingResponse(events(), media_type="text/event-stream")
