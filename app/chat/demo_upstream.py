"""The demo model's OpenAI-compatible endpoint (see app/demo_model.py).

It sits behind the guard like any upstream: what arrives here is already pseudonymised.
It keeps nothing and logs nothing about the content.
"""
from __future__ import annotations

import json
import re
import time
import uuid

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse

from app.chat.demo_model import DEMO_MODEL_ID, DEMO_PATH

router = APIRouter(prefix=DEMO_PATH, include_in_schema=False)

# The demo states only what it can know: what arrived here. Whether the person sees the
# originals depends on their browser still holding the mapping (another browser does not),
# so it says exactly that instead of claiming the values were restored.
_PLACEHOLDER = re.compile(r"\[[A-Z][A-Z0-9_]*_\d{1,4}\]")
_ENGLISH_HINTS = frozenset("the and please what is are you your a an of to for with how can this".split())
_GERMAN_HINTS = frozenset("der die das und bitte was ist sind sie ihr ein eine für mit wie kann dies den dem".split())

INTRO = {
    "de": {
        "who": "Ich bin kein echtes Sprachmodell, sondern die Demo von Spielraum: Ich wiederhole nur, was bei mir ankam.",
        "none": "Darin hat Spielraum keine personenbezogenen Daten ersetzt.",
        "some": ("Statt Ihrer Angaben kamen {n} Platzhalter bei mir an (siehe „Was an das Modell gesendet "
                 "wurde“). Ihre echten Angaben sehen Sie nur dort, wo Ihr Browser die Zuordnung noch kennt; "
                 "sonst bleiben die Platzhalter stehen."),
        "received": "Bei mir kam an:",
    },
    "en": {
        "who": "I am not a real language model but Spielraum's demo: I only repeat what reached me.",
        "none": "Spielraum replaced no personal data in it.",
        "some": ("Instead of your details, {n} placeholder(s) reached me (see “What was sent to the model”). "
                 "You see your real details only where your browser still holds the mapping; otherwise the "
                 "placeholders remain."),
        "received": "What reached me:",
    },
}


def reply_language(text: str) -> str:
    """The language to answer in: English only where the message reads as English."""
    words = re.findall(r"[a-zäöüß]+", text.lower())
    english = sum(word in _ENGLISH_HINTS for word in words)
    german = sum(word in _GERMAN_HINTS for word in words) + sum(ch in "äöüß" for ch in text.lower())
    return "en" if english > german else "de"


def _answer(body: dict) -> str:
    users = [m for m in body.get("messages", []) if isinstance(m, dict) and m.get("role") == "user"]
    content = users[-1].get("content", "") if users else ""
    if not isinstance(content, str):
        content = json.dumps(content, ensure_ascii=False)
    texts = INTRO[reply_language(content)]
    placeholders = list(dict.fromkeys(_PLACEHOLDER.findall(content)))
    # No placeholder is named here: Spielraum restores every placeholder in an answer.
    about = texts["some"].format(n=len(placeholders)) if placeholders else texts["none"]
    return f"{texts['who']} {about}\n\n{texts['received']}\n\n{content}"


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
