"""The OpenAI-compatible API's chat path: the client's whole history, guarded, then the model.

API clients are stateless and resend the whole conversation every time, with the answers
they received already restored. So every message (system, user and assistant alike) is
pseudonymised again, in order, with ONE fresh vault: numbering by first appearance gives
each value the same placeholder it had in the previous call, and the model sees a
consistent conversation. Any blocked value stops the whole request before it is sent.

Each request is stored like a web exchange (channel "api"): the pseudonymised last user
message, the pseudonymised answer and the finding metadata; a new conversation per
request unless the client names one of its own with the `X-Spielraum-Conversation` header.
"""
from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.chat.web_service import elapsed_ms, model_for
from app.errors import GuardFailed, InvalidRequest, PiiBlocked, PromptTooLong
from app.storage.exchange_log import ExchangeLog
from app.chat.guarding import conversation_title, finding_records, scan
from app.storage.tables import MAX_ID, Channel, Exchange, User, Verdict
from app.settings import Settings
from guardrails import AppliedFinding, Guard, Vault
from providers import Catalogue, ModelSpec, ProviderError, Usage, complete_chat, stream_chat

log = logging.getLogger("spielraum.api")


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


@dataclass
class PreparedCall:
    user: User
    spec: ModelSpec
    messages: list[dict]        # pseudonymised, as they will be sent
    vault: Vault
    exchange_id: int
    max_tokens: int | None
    temperature: float | None
    include_usage: bool


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


class ApiChatService:
    def __init__(self, guard: Guard, catalogue: Catalogue, exchange_log: ExchangeLog, settings: Settings) -> None:
        self.guard = guard
        self.catalogue = catalogue
        self.log = exchange_log
        self.settings = settings

    async def prepare(self, user: User, request: ChatCompletionRequest,
                      conversation_id: int | None = None) -> PreparedCall:
        """Check, pseudonymise and record the request; raises AppError for anything not sent."""
        spec = model_for(self.catalogue, user, request.model)
        texts = [message_text(m) for m in request.messages]
        limit = self.settings.max_prompt_chars
        if sum(len(t) for t in texts) > limit:
            raise PromptTooLong(
                f"Die Nachrichten sind zusammen zu lang (höchstens {limit} Zeichen).",
                f"The messages are too long in total (at most {limit} characters).")
        if conversation_id is not None and self.log.conversation(user.id, conversation_id) is None:
            conversation_id = None

        vault = Vault()
        findings: list[AppliedFinding] = []
        sent: list[dict] = []
        blocked: set[str] = set()
        started = time.perf_counter()
        try:
            for message, text in zip(request.messages, texts):
                result = await scan(self.guard, text, vault) if text else None
                if result is not None:
                    findings += result.findings
                    blocked.update(result.blocked_entity_types)
                sent.append({"role": message.role, "content": result.text if result else text})
        except GuardFailed:
            self._record(user, spec.id, conversation_id, Verdict.ERROR, "guard_unavailable", "", [],
                         elapsed_ms(started))
            raise
        guard_ms = elapsed_ms(started)
        records = finding_records(findings)
        if blocked:
            self._record(user, spec.id, conversation_id, Verdict.BLOCKED, "pii_blocked", "", records, guard_ms)
            types = sorted(blocked)
            log.info("api.blocked", extra={"user_id": user.id, "entity_types": types})
            raise PiiBlocked(
                f"{PiiBlocked.message_de} (Datenarten: {', '.join(types)})",
                f"{PiiBlocked.message_en} (data types: {', '.join(types)})",
                extra={"entity_types": types})

        last_user = next((m["content"] for m in reversed(sent) if m["role"] == "user"), sent[-1]["content"])
        if conversation_id is None:
            conversation_id = self.log.new_conversation(
                user.id, spec.id, conversation_title(last_user), Channel.API.value).id
        exchange_id = self._record(user, spec.id, conversation_id, Verdict.SENT, None, last_user, records, guard_ms)
        options = request.stream_options or {}
        return PreparedCall(
            user=user, spec=spec, messages=sent, vault=vault, exchange_id=exchange_id,
            max_tokens=request.max_completion_tokens or request.max_tokens,
            temperature=request.temperature, include_usage=bool(options.get("include_usage")))

    async def complete(self, call: PreparedCall) -> tuple[str, Usage, str | None]:
        """The whole answer, restored; raises ProviderError after recording it."""
        started = time.perf_counter()
        try:
            completion = await complete_chat(call.spec, call.messages, max_tokens=call.max_tokens,
                                              temperature=call.temperature)
        except ProviderError as exc:
            self._fail(call, exc.code, "", started)
            raise
        self._succeed(call, completion.text, completion.usage, started)
        return self.guard.restore(completion.text, call.vault), completion.usage, completion.finish_reason

    async def stream(self, call: PreparedCall) -> AsyncIterator[tuple[str, str | None, Usage | None]]:
        """Yields (restored text, finish_reason, usage); raises ProviderError after recording it."""
        restorer = self.guard.stream_restorer(call.vault)
        answer: list[str] = []
        started = time.perf_counter()
        done = False
        try:
            async for chunk in stream_chat(call.spec, call.messages, max_tokens=call.max_tokens,
                                           temperature=call.temperature):
                answer.append(chunk.text)
                text = restorer.feed(chunk.text) if chunk.text else ""
                if chunk.finish_reason is not None:
                    text += restorer.flush()
                    self._succeed(call, "".join(answer), chunk.usage or Usage(), started)
                    done = True
                    yield text, chunk.finish_reason, chunk.usage or Usage()
                elif text:
                    yield text, None, None
            if not done:
                tail = restorer.flush()
                self._succeed(call, "".join(answer), Usage(), started)
                done = True
                yield tail, "stop", Usage()
        except ProviderError as exc:
            self._fail(call, exc.code, "".join(answer), started)
            done = True
            raise
        finally:
            if not done:  # the client went away, or something unexpected broke
                self._fail(call, "client_disconnected", "".join(answer), started)

    # -- storage -----------------------------------------------------------------------------
    def _record(self, user: User, model_id: str, conversation_id: int | None, verdict: Verdict,
                error_code: str | None, prompt: str, records: list, guard_ms: float) -> int:
        exchange = self.log.record(Exchange(
            conversation_id=conversation_id, user_id=user.id, model_id=model_id, channel=Channel.API.value,
            prompt_pseudonymised=prompt, verdict=verdict.value, error_code=error_code, guard_ms=guard_ms), records)
        return exchange.id

    def _succeed(self, call: PreparedCall, answer: str, usage: Usage, started: float) -> None:
        self.log.finish(call.exchange_id, answer_pseudonymised=answer, prompt_tokens=usage.prompt_tokens,
                        completion_tokens=usage.completion_tokens, upstream_ms=elapsed_ms(started))
        log.info("api.answered", extra={"user_id": call.user.id, "model": call.spec.id,
                                        "exchange_id": call.exchange_id, "upstream_ms": elapsed_ms(started)})

    def _fail(self, call: PreparedCall, code: str, answer: str, started: float) -> None:
        self.log.finish(call.exchange_id, answer_pseudonymised=answer, verdict=Verdict.ERROR.value,
                        error_code=code, upstream_ms=elapsed_ms(started))
        log.warning("api.upstream_failed", extra={"user_id": call.user.id, "model": call.spec.id, "code": code})
