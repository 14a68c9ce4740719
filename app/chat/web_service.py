"""One web-chat turn, from the typed prompt to the restored answer, as a stream of events.

Order of a turn: check the model and the prompt, pseudonymise the prompt with the vault
the browser kept for this conversation (so known values keep their placeholders), and
only then talk to the model. The upstream gets the conversation's stored, pseudonymised
history plus the new pseudonymised prompt; the answer is restored chunk by chunk with the
vault and streamed back. The vault is handed back to the browser and never stored.

Events are plain dicts (see `stream_turn`); failures become an `error` event with a
stable code and a message in German and English, and the exchange is stored with its
verdict so the data-protection officer can see what happened, never what was typed.
"""
from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from app.errors import AppError, GuardFailed, InvalidRequest, ModelNotFound, NotFound, PromptTooLong
from app.storage.exchange_log import ExchangeLog
from app.chat.guarding import conversation_title, finding_records, masked_summary, replaced_summary, scan
from app.i18n import entity_list, legend
from app.storage.tables import Channel, Exchange, User, Verdict
from app.settings import Settings
from guardrails import Guard, ScanResult, Vault
from providers import Catalogue, ModelSpec, ProviderError, UnknownModel, stream_chat

log = logging.getLogger("spielraum.chat")


@dataclass
class ChatTurn:
    """One new prompt from the web chat."""
    user: User
    model_id: str
    prompt: str
    conversation_id: int | None = None
    vault: dict[str, str] = field(default_factory=dict)  # placeholder -> original, kept by the browser


def model_for(catalogue: Catalogue, user: User, model_id: str) -> ModelSpec:
    """The model, if the user's role may use it; otherwise it does not exist for them."""
    try:
        spec = catalogue.get(model_id)
    except UnknownModel:
        raise ModelNotFound() from None
    if user.role not in spec.roles:
        raise ModelNotFound()
    return spec


def error_event(code: str, message_de: str, message_en: str) -> dict:
    return {"type": "error", "code": code, "message_de": message_de, "message_en": message_en}


def elapsed_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


class ChatService:
    def __init__(self, guard: Guard, catalogue: Catalogue, exchange_log: ExchangeLog, settings: Settings) -> None:
        self.guard = guard
        self.catalogue = catalogue
        self.log = exchange_log
        self.settings = settings

    async def stream_turn(self, turn: ChatTurn) -> AsyncIterator[dict]:
        """Events: `sent`, `delta`…, `done`; or `blocked`; or `error` (at any point)."""
        user = turn.user
        guard_started = time.perf_counter()
        try:
            spec, conversation_id = self._check(turn)
            history = self.log.history(conversation_id) if conversation_id else []
            vault = Vault(turn.vault or {})
            for message in history:
                vault.reserve_placeholders_in(message["content"])
            result = await scan(self.guard, turn.prompt, vault)
        except GuardFailed as exc:
            self._record_failure(turn, exc.code, elapsed_ms(guard_started))
            yield error_event(exc.code, exc.message_de, exc.message_en)
            return
        except AppError as exc:
            yield error_event(exc.code, exc.message_de, exc.message_en)
            return

        records = finding_records(result.findings)
        if result.blocked:
            yield self._blocked(user, spec, conversation_id, result, records)
            return

        if conversation_id is None:
            conversation_id = self.log.new_conversation(
                user.id, spec.id, conversation_title(result.text), Channel.WEB.value).id
        exchange = self.log.record(Exchange(
            conversation_id=conversation_id, user_id=user.id, model_id=spec.id, channel=Channel.WEB.value,
            prompt_pseudonymised=result.text, verdict=Verdict.SENT.value, guard_ms=result.elapsed_ms), records)
        summary = replaced_summary(result.findings)
        masked = masked_summary(result.findings, turn.prompt)
        yield {"type": "sent", "conversation_id": conversation_id, "exchange_id": exchange.id,
               "sent_text": result.text, "summary": summary,
               "legend_de": legend(summary, "de", masked), "legend_en": legend(summary, "en", masked),
               "vault": {p: v for p, v in vault.as_mapping().items() if p != v}}

        async for event in self._answer(spec, history + [{"role": "user", "content": result.text}],
                                        vault, exchange.id, user.id):
            yield event

    def _blocked(self, user: User, spec: ModelSpec, conversation_id: int | None, result: ScanResult,
                 records: list) -> dict:
        """Nothing is sent; the exchange is stored without any text, with what was found."""
        self.log.record(Exchange(
            conversation_id=conversation_id, user_id=user.id, model_id=spec.id, channel=Channel.WEB.value,
            verdict=Verdict.BLOCKED.value, error_code="pii_blocked", guard_ms=result.elapsed_ms), records)
        types = result.blocked_entity_types
        log.info("chat.blocked", extra={"user_id": user.id, "entity_types": types})
        return {"type": "blocked", "entity_types": types,
                "message_de": _blocked_message("de", types), "message_en": _blocked_message("en", types)}

    def _check(self, turn: ChatTurn) -> tuple[ModelSpec, int | None]:
        spec = model_for(self.catalogue, turn.user, turn.model_id)
        if not turn.prompt or not turn.prompt.strip():
            raise InvalidRequest("Bitte geben Sie zuerst eine Nachricht ein.",
                                 "Please type a message first.", code="empty_prompt")
        if len(turn.prompt) > self.settings.max_prompt_chars:
            raise PromptTooLong(
                f"Ihre Eingabe ist zu lang (höchstens {self.settings.max_prompt_chars} Zeichen). "
                "Bitte kürzen Sie sie oder teilen Sie sie auf.",
                f"Your input is too long (at most {self.settings.max_prompt_chars} characters). "
                "Please shorten it or split it up.")
        if turn.conversation_id is None:
            return spec, None
        if self.log.conversation(turn.user.id, turn.conversation_id) is None:
            raise NotFound(code="conversation_not_found")
        return spec, turn.conversation_id

    async def _answer(self, spec: ModelSpec, messages: list[dict], vault: Vault,
                      exchange_id: int, user_id: int) -> AsyncIterator[dict]:
        restorer = self.guard.stream_restorer(vault)
        answer: list[str] = []
        usage = None
        started = time.perf_counter()
        finished = False
        try:
            async for chunk in stream_chat(spec, messages):
                if chunk.usage is not None:
                    usage = chunk.usage
                if chunk.text:
                    answer.append(chunk.text)
                    restored = restorer.feed(chunk.text)
                    if restored:
                        yield {"type": "delta", "text": restored}
            tail = restorer.flush()
            if tail:
                yield {"type": "delta", "text": tail}
            usage_dict = usage.as_dict() if usage else {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
            self.log.finish(exchange_id, answer_pseudonymised="".join(answer),
                            prompt_tokens=usage_dict["prompt_tokens"],
                            completion_tokens=usage_dict["completion_tokens"], upstream_ms=elapsed_ms(started))
            finished = True
            log.info("chat.answered", extra={"user_id": user_id, "model": spec.id, "exchange_id": exchange_id,
                                             "upstream_ms": elapsed_ms(started)})
            yield {"type": "done", "usage": usage_dict, "exchange_id": exchange_id}
        except ProviderError as exc:
            self.log.finish(exchange_id, answer_pseudonymised="".join(answer), verdict=Verdict.ERROR.value,
                            error_code=exc.code, upstream_ms=elapsed_ms(started))
            finished = True
            log.warning("chat.upstream_failed", extra={"user_id": user_id, "model": spec.id, "code": exc.code})
            yield error_event(exc.code, exc.user_message, exc.user_message_en)
        except Exception as exc:  # noqa: BLE001 - the person gets a message, the log the type only
            self.log.finish(exchange_id, answer_pseudonymised="".join(answer), verdict=Verdict.ERROR.value,
                            error_code="internal_error", upstream_ms=elapsed_ms(started))
            finished = True
            log.error("chat.crashed", extra={"user_id": user_id, "error_type": type(exc).__name__})
            yield error_event("internal_error",
                              "Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es erneut.",
                              "An unexpected error occurred. Please try again.")
        finally:
            if not finished:  # the browser went away mid-answer
                self.log.finish(exchange_id, answer_pseudonymised="".join(answer), verdict=Verdict.ERROR.value,
                                error_code="client_disconnected", upstream_ms=elapsed_ms(started))

    def _record_failure(self, turn: ChatTurn, code: str, guard_ms: float) -> None:
        """A failed guard check: store that it happened, never the (unchecked) prompt."""
        conversation_id = turn.conversation_id
        if conversation_id is not None and self.log.conversation(turn.user.id, conversation_id) is None:
            conversation_id = None
        self.log.record(Exchange(
            conversation_id=conversation_id, user_id=turn.user.id, model_id=turn.model_id[:200],
            channel=Channel.WEB.value, verdict=Verdict.ERROR.value, error_code=code, guard_ms=guard_ms), [])


def _blocked_message(lang: str, entity_types: list[str]) -> str:
    kinds = entity_list(entity_types, lang)
    if lang == "en":
        return (f"Your message was not sent because it contains data that must not go to a language "
                f"model ({kinds}). Please remove it and send again.")
    return (f"Ihre Nachricht wurde nicht gesendet, weil sie Daten enthält, die nicht an ein Sprachmodell "
            f"gehen dürfen ({kinds}). Bitte entfernen Sie diese Angaben und senden Sie erneut.")
