"""The OpenAI-compatible API's request body, and how it becomes the pipeline's API input.

API clients are stateless and resend the whole conversation every time, with the answers
they received already restored; `api_input` hands all of it to the pipeline, which
pseudonymises every message again with one fresh vault (see `inputs.ApiInput`).

Each request is stored like a web exchange (channel "api"); a new conversation per request
unless the client names one of its own with the `X-Spielraum-Conversation` header
(another user's conversation is a 404, as in the web chat).
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.chat.inputs import ApiInput
from app.errors import InvalidRequest
from app.storage.tables import MAX_ID


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[dict] | None = None


class ChatCompletionRequest(BaseModel):
    """The part of OpenAI's request body Spielraum honours; unknown fields are ignored."""
    model_config = ConfigDict(extra="ignore")

    model: str = Field(min_length=1)
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    stream_options: dict | None = None
    max_tokens: int | None = Field(default=None, gt=0, le=MAX_ID)
    max_completion_tokens: int | None = Field(default=None, gt=0, le=MAX_ID)
    temperature: float | None = Field(default=None, ge=0, le=2)


def message_text(message: ChatMessage) -> str:
    if message.content is None or isinstance(message.content, str):
        return message.content or ""
    parts = []
    for part in message.content:
        if part.get("type") != "text" or not isinstance(part.get("text"), str):
            raise InvalidRequest("Es werden nur Textnachrichten unterstützt.",
                                 "Only text messages are supported.", code="unsupported_content")
        parts.append(part["text"])
    return "".join(parts)


def api_input(request: ChatCompletionRequest) -> ApiInput:
    return ApiInput([(message.role, message_text(message)) for message in request.messages])
