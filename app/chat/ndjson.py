"""The browser's wire format: one JSON object per line, read by `app/static/chat.js`.

Event types and their fields are a contract with the chat UI: `sent`, `delta`, `done`,
`blocked`, `error`. Fields may be added (`model_id`, `model_label`, `retry_after`), never
removed or renamed.
"""
from __future__ import annotations

import json

from app.chat.events import Blocked, Delta, Done, Event, Failed, Sent
from app.i18n import legend


def wire_event(event: Event) -> dict:
    if isinstance(event, Delta):
        return {"type": "delta", "text": event.text}
    if isinstance(event, Sent):
        return {"type": "sent", "conversation_id": event.conversation_id, "exchange_id": event.exchange_id,
                "sent_text": event.sent_text, "summary": event.summary,
                "legend_de": legend(event.summary, "de", event.masked),
                "legend_en": legend(event.summary, "en", event.masked),
                "vault": event.vault, "model_id": event.model_id, "model_label": event.model_label}
    if isinstance(event, Done):
        return {"type": "done", "usage": event.usage.as_dict(), "exchange_id": event.exchange_id,
                "links_withheld": event.links_withheld}
    if isinstance(event, Blocked):
        return {"type": "blocked", "entity_types": event.entity_types,
                "message_de": event.message_de, "message_en": event.message_en}
    if isinstance(event, Failed):
        wire = {"type": "error", "code": event.code, "message_de": event.message_de, "message_en": event.message_en}
        if event.retry_after is not None:
            wire["retry_after"] = event.retry_after
        return wire
    raise TypeError(f"not a chat event: {type(event).__name__}")


def ndjson_line(wire: dict) -> bytes:
    return (json.dumps(wire, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
