"""What one chat turn yields, as typed events, for the browser and the API alike.

A turn is `Sent, Delta…, Done`; or `Blocked`; or `Failed` at any point (before `Sent`:
nothing reached the model; after it: the answer broke off). Adapters only frame these:
NDJSON for the browser (`app/chat/ndjson.py`), OpenAI's JSON/SSE for the API.
Messages come in German and English; codes are stable; no event carries an original value
except `Sent.vault` and the restored `Delta.text`, which go to their owner only.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from providers import Usage


@dataclass(frozen=True)
class Sent:
    conversation_id: int
    exchange_id: int
    sent_text: str                  # the pseudonymised prompt as the model sees it
    summary: dict[str, int]         # replaced values per entity type
    vault: dict[str, str]           # placeholder -> original, for the owner's browser only
    model_id: str
    model_label: str
    masked: dict[str, int] = field(default_factory=dict)  # distinct masked values per entity type


@dataclass(frozen=True)
class Delta:
    text: str                       # restored answer text


@dataclass(frozen=True)
class Done:
    exchange_id: int
    usage: Usage
    finish_reason: str = "stop"
    links_withheld: int = 0         # placeholders not restored because they stood in a link


@dataclass(frozen=True)
class Blocked:
    entity_types: list[str]
    message_de: str
    message_en: str


@dataclass(frozen=True)
class Failed:
    code: str
    message_de: str
    message_en: str
    http_status: int = 500
    retry_after: int | None = None
    extra: dict = field(default_factory=dict)


Event = Sent | Delta | Done | Blocked | Failed
