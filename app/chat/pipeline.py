"""The one chat pipeline: the browser's chat and the OpenAI-compatible API both run through it.

One turn, in order:
 1. the model must be enabled and allowed for the user's role/groups -> Failed model_not_found (404)
    and the user's daily limit for it not reached (`model_access.py`) -> Failed daily_limit_reached (429)
 2. the input must be non-empty and not too long                   -> Failed empty_prompt / prompt_too_long
 3. a named conversation must be the user's own (and gives history) -> Failed conversation_not_found (404)
 4. the input strategy builds the messages and the vault            (`inputs.py`: web or API)
 5. the guard scans every message that needs it, through the gate   -> Failed guard_busy (503) / guard_unavailable (503)
 6. a blocked value stops the turn; stored without text             -> Blocked (labels, never raw codes)
 7. the exchange (and a new conversation) is stored, pseudonymised  -> Sent
 8. the model answers (streamed or whole), restored for the user    -> Delta…, Done
 9. any upstream failure is stored with its code                    -> Failed upstream_* / stream_interrupted / internal_error

Concurrency: every database call runs off the event loop in a short session (`ExchangeLog`),
no connection is held while the model talks, and the guard runs through `GuardGate`. If the
consumer goes away mid-answer (browser closed, client disconnected) the exchange is stored
as `client_disconnected`; a crash is `internal_error` on both paths.
"""
from __future__ import annotations

import logging
import time
from contextlib import aclosing
from collections.abc import AsyncIterator
from dataclasses import dataclass

import anyio

from app.chat.events import Blocked, Delta, Done, Event, Failed, Sent
from app.chat.guard_gate import GuardGate
from app.chat.guarding import conversation_title, finding_records, masked_summary, replaced_summary, scan_messages
from app.chat.inputs import ApiInput, PreparedInput, WebInput
from app.chat.model_access import checked_model
from app.chat.model_directory import ModelDirectory
from app.chat.ready_batches import ready_batches
from app.guard_policy import PolicyCache
from app.errors import AppError, GuardBusy, GuardFailed, NotFound
from app.i18n import entity_label
from app.settings import Settings
from app.storage.exchange_log import ExchangeLog
from app.storage.tables import Exchange, User, Verdict
from guardrails import AppliedFinding, Guard, Vault
from providers import ModelSpec, ProviderError, Usage, complete_chat, stream_chat

log = logging.getLogger("spielraum.chat")

INTERNAL_ERROR = ("internal_error", "Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es erneut.",
                  "An unexpected error occurred. Please try again.")


@dataclass
class ChatRequest:
    user: User
    model_id: str
    source: WebInput | ApiInput
    conversation_id: int | None = None
    stream: bool = True                 # False: one upstream call for the whole answer
    max_tokens: int | None = None
    temperature: float | None = None


def blocked_message(lang: str, entity_types: list[str]) -> str:
    kinds = ", ".join(entity_label(kind, 1, lang) for kind in entity_types)
    if lang == "en":
        return (f"Your message was not sent because it contains data that must not go to a language "
                f"model ({kinds}). Please remove it and send again.")
    return (f"Ihre Nachricht wurde nicht gesendet, weil sie Daten enthält, die nicht an ein Sprachmodell "
            f"gehen dürfen ({kinds}). Bitte entfernen Sie diese Angaben und senden Sie erneut.")


def failed_from(exc: AppError | ProviderError) -> Failed:
    if isinstance(exc, ProviderError):
        return Failed(exc.code, exc.user_message, exc.user_message_en, exc.http_status)
    return Failed(exc.code, exc.message_de, exc.message_en, exc.status_code,
                  retry_after=getattr(exc, "retry_after", None), extra=dict(exc.extra))


def elapsed_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


@dataclass
class _Scanned:
    messages: list[dict]                # as they will be sent
    prompt: str                         # the pseudonymised last user message, as stored
    findings: list[AppliedFinding]
    blocked: list[str]
    guard_ms: float
    masked: dict[str, int]              # distinct masked values per type (counted, never kept)


class ChatPipeline:
    def __init__(self, guard: Guard, models: ModelDirectory, exchange_log: ExchangeLog, settings: Settings,
                 gate: GuardGate, policies: PolicyCache | None = None) -> None:
        self.guard = guard
        self.models = models
        # The policy IT configured now (app/guard_policy.py); without one, `guard`'s own policy.
        self.policies = policies
        self.log = exchange_log
        self.settings = settings
        self.gate = gate

    async def preview(self, request: ChatRequest) -> Sent | Blocked | Failed:
        """Steps 1–6 without storing or sending anything: what the model would receive.

        The person's last look before sending (the chat's preview). `Sent` here carries no
        ids; nothing is written to the database, and no upstream is contacted."""
        try:
            spec, prepared, scanned = await self._checked_and_scanned(request)
        except AppError as exc:
            return failed_from(exc)
        if scanned.blocked:
            return Blocked(scanned.blocked, blocked_message("de", scanned.blocked),
                           blocked_message("en", scanned.blocked))
        return Sent(conversation_id=request.conversation_id or 0, exchange_id=0, sent_text=scanned.prompt,
                    summary=replaced_summary(scanned.findings), masked=scanned.masked,
                    vault={p: v for p, v in prepared.vault.as_mapping().items() if p != v},
                    model_id=spec.id, model_label=spec.display_name)

    async def _checked_and_scanned(self, request: ChatRequest) -> tuple[ModelSpec, PreparedInput, _Scanned]:
        """Steps 1–5: the model, the input, the conversation, the messages, the guard's scan."""
        user, source = request.user, request.source
        # The model check and the guard under IT's current policy share one session and one trip
        # to the thread pool: both are a version read that is answered from this process's cache.
        spec, guard = await self.log.in_session(lambda session: (
            checked_model(session, self.models, user, request.model_id),
            self.policies.guard(session) if self.policies else self.guard))
        source.check(self.settings.max_prompt_chars)
        context = await self.log.conversation_context(user.id, request.conversation_id, source.needs_history)
        if request.conversation_id is not None and not context.exists:
            raise NotFound(code="conversation_not_found")
        prepared = source.prepare(context.history)
        return spec, prepared, await self._scan(guard, prepared)

    async def run(self, request: ChatRequest) -> AsyncIterator[Event]:
        user, source = request.user, request.source
        conversation_id = request.conversation_id
        guard_started = time.perf_counter()
        try:
            spec, prepared, scanned = await self._checked_and_scanned(request)
        except (GuardFailed, GuardBusy) as exc:
            await self._record_guard_failure(request, exc.code, elapsed_ms(guard_started))
            yield failed_from(exc)
            return
        except AppError as exc:
            yield failed_from(exc)
            return

        records = finding_records(scanned.findings)
        if scanned.blocked:
            await self.log.open_exchange(Exchange(
                conversation_id=conversation_id, user_id=user.id, model_id=spec.id, channel=source.channel,
                verdict=Verdict.BLOCKED.value, error_code="pii_blocked", guard_ms=scanned.guard_ms), records)
            log.info("chat.blocked", extra={"user_id": user.id, "entity_types": scanned.blocked,
                                            "channel": source.channel})
            yield Blocked(scanned.blocked, blocked_message("de", scanned.blocked), blocked_message("en", scanned.blocked))
            return

        exchange = await self.log.open_exchange(Exchange(
            conversation_id=conversation_id, user_id=user.id, model_id=spec.id, channel=source.channel,
            prompt_pseudonymised=scanned.prompt, verdict=Verdict.SENT.value, guard_ms=scanned.guard_ms),
            records, title=conversation_title(scanned.prompt))
        yield Sent(conversation_id=exchange.conversation_id, exchange_id=exchange.id, sent_text=scanned.prompt,
                   summary=replaced_summary(scanned.findings), masked=scanned.masked,
                   vault={p: v for p, v in prepared.vault.as_mapping().items() if p != v},
                   model_id=spec.id, model_label=spec.display_name)
        # aclosing: if our consumer leaves, the answer's generator is closed too and records it.
        async with aclosing(self._answer(request, spec, scanned.messages, prepared.vault, exchange.id)) as answer:
            async for event in answer:
                yield event

    async def _scan(self, guard: Guard, prepared: PreparedInput) -> _Scanned:
        to_scan = [m for m in prepared.messages if m.scan]
        started = time.perf_counter()
        results = iter(await self.gate.run(
            scan_messages, guard, [m.text for m in to_scan], prepared.vault,
            [m.role == "assistant" for m in to_scan], prepared.terms) if to_scan else [])
        guard_ms = elapsed_ms(started)
        messages: list[dict] = []
        findings: list[AppliedFinding] = []
        blocked: set[str] = set()
        masked: dict[str, int] = {}
        prompt = ""
        for message in prepared.messages:
            text = message.text
            if message.scan:
                result = next(results)
                findings += result.findings
                for kind, count in masked_summary(result.findings, text).items():
                    masked[kind] = max(masked.get(kind, 0), count)
                blocked.update(result.blocked_entity_types)
                text = result.text
                if message.role == "user":
                    prompt = text
            messages.append({"role": message.role, "content": text})
        if not prompt and messages:
            prompt = messages[-1]["content"]
        return _Scanned(messages, prompt, findings, sorted(blocked), guard_ms, masked)

    async def _answer(self, request: ChatRequest, spec: ModelSpec, messages: list[dict], vault: Vault,
                      exchange_id: int) -> AsyncIterator[Event]:
        answer: list[str] = []
        started = time.perf_counter()
        usage, finish_reason = Usage(), "stop"
        withheld = 0    # placeholders left in place inside links (an original never goes into a URL)
        failure: Failed | None = None
        limits = {"max_tokens": request.max_tokens, "temperature": request.temperature}
        deadline = spec.stream_deadline_seconds or self.settings.stream_deadline_seconds
        try:
            if request.stream:
                restorer = self.guard.stream_restorer(vault)
                chunks = stream_chat(spec, messages, deadline_seconds=deadline,
                                     idle_seconds=spec.stream_idle_seconds or spec.timeout_seconds, **limits)
                # What has already arrived is restored and framed once (see ready_batches).
                async with aclosing(ready_batches(chunks)) as batches:
                    async for batch in batches:
                        texts = []
                        for chunk in batch:
                            if chunk.finish_reason is not None:
                                usage, finish_reason = chunk.usage or Usage(), chunk.finish_reason
                            if chunk.text:
                                texts.append(chunk.text)
                        if texts:
                            text = "".join(texts)
                            answer.append(text)
                            restored = restorer.feed(text)
                            if restored:
                                yield Delta(restored)
                tail = restorer.flush()
                if tail:
                    yield Delta(tail)
                withheld = len(restorer.withheld)
            else:
                completion = await complete_chat(spec, messages, deadline_seconds=deadline, **limits)
                answer.append(completion.text)
                usage, finish_reason = completion.usage, completion.finish_reason or "stop"
                restored = self.guard.restore_answer(completion.text, vault)
                withheld = len(restored.withheld)
                yield Delta(restored.text)
        except ProviderError as exc:
            log.warning("chat.upstream_failed", extra={"user_id": request.user.id, "model": spec.id, "code": exc.code,
                                                      "channel": request.source.channel})
            failure = failed_from(exc)
        except Exception as exc:  # noqa: BLE001 - the person gets a message, the log the type only
            log.error("chat.crashed", extra={"user_id": request.user.id, "error_type": type(exc).__name__})
            failure = Failed(*INTERNAL_ERROR, http_status=500)
        except BaseException:  # the consumer went away mid-answer (closed generator, cancelled request)
            with anyio.CancelScope(shield=True):
                await self._finish(exchange_id, answer, started, code="client_disconnected")
            raise
        if failure is not None:
            await self._finish(exchange_id, answer, started, code=failure.code)
            yield failure
            return
        await self._finish(exchange_id, answer, started, usage=usage)
        log.info("chat.answered", extra={"user_id": request.user.id, "model": spec.id, "channel": request.source.channel,
                                         "exchange_id": exchange_id, "upstream_ms": elapsed_ms(started)})
        yield Done(exchange_id, usage, finish_reason, links_withheld=withheld)

    async def _finish(self, exchange_id: int, answer: list[str], started: float, *, usage: Usage | None = None,
                      code: str | None = None) -> None:
        changes: dict = {"answer_pseudonymised": "".join(answer), "upstream_ms": elapsed_ms(started)}
        if code is None:
            usage = usage or Usage()
            changes.update(prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens)
        else:
            changes.update(verdict=Verdict.ERROR.value, error_code=code)
        await self.log.finish(exchange_id, **changes)

    async def _record_guard_failure(self, request: ChatRequest, code: str, guard_ms: float) -> None:
        """A failed or refused guard check: store that it happened, never the (unchecked) prompt."""
        await self.log.open_exchange(Exchange(
            conversation_id=request.conversation_id, user_id=request.user.id, model_id=request.model_id[:200],
            channel=request.source.channel, verdict=Verdict.ERROR.value, error_code=code, guard_ms=guard_ms), [])
