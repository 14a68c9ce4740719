"""The web chat's entry to the chat pipeline: a typed prompt plus the browser's vault.

`ChatService.stream_turn` runs one turn through `ChatPipeline` with the web input strategy
(browser vault + stored history + new prompt) and yields the events in the browser's wire
form (`ndjson.wire_event`). All rules live in `pipeline.py`; nothing here decides anything.
"""
from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from app.chat.inputs import WebInput
from app.chat.ndjson import wire_event
from app.chat.events import Failed
from app.chat.pipeline import ChatPipeline, ChatRequest
from app.storage.tables import User
from guardrails import Term


@dataclass
class ChatTurn:
    """One new prompt from the web chat."""
    user: User
    model_id: str
    prompt: str
    conversation_id: int | None = None
    vault: dict[str, str] = field(default_factory=dict)  # placeholder -> original, kept by the browser
    marks: list[Term] = field(default_factory=list)      # words the person marked in the preview


class ChatService:
    def __init__(self, pipeline: ChatPipeline) -> None:
        self.pipeline = pipeline

    async def stream_turn(self, turn: ChatTurn) -> AsyncIterator[dict]:
        """Events: `sent`, `delta`…, `done`; or `blocked`; or `error` (at any point)."""
        events = self.pipeline.run(ChatRequest(
            user=turn.user, model_id=turn.model_id, conversation_id=turn.conversation_id,
            source=WebInput(prompt=turn.prompt, vault=turn.vault, marks=turn.marks)))
        try:
            async for event in events:
                yield wire_event(event)
        finally:
            await events.aclose()

    async def preview(self, turn: ChatTurn) -> dict:
        """The `sent` event this turn would start with (no ids), or `blocked` / `error`."""
        event = await self.pipeline.preview(ChatRequest(
            user=turn.user, model_id=turn.model_id, conversation_id=turn.conversation_id,
            source=WebInput(prompt=turn.prompt, vault=turn.vault, marks=turn.marks)))
        wire = wire_event(event)
        if isinstance(event, Failed):
            wire["status"] = event.http_status
        return wire
