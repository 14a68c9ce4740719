"""Send a chat to a catalogue model through litellm, whole or streamed.

Design choice: this is the only module that calls litellm. Every call goes out with the
catalogue's base URL, timeout and limits, ``num_retries=0`` (the person decides whether to try
again; silent retries would double waiting time and upstream cost), and the API key read from
the environment at that moment. Every failure leaves as one of the named ProviderErrors, and is
logged as a structured event with model id, code, status and elapsed time — never content.

Limits: ``max_tokens`` and ``temperature`` asked for by the caller are capped at the catalogue's
values; when the caller asks for nothing, the catalogue's values are used.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from providers.catalogue import ModelSpec
from providers.error_mapping import map_exception
from providers.errors import ProviderError, StreamInterrupted, UpstreamMalformed, UpstreamTimeout
from providers.litellm_setup import prepare_litellm
from providers.messages import Completion, StreamChunk, Usage

logger = logging.getLogger(__name__)


def effective_max_tokens(spec: ModelSpec, requested: int | None) -> int | None:
    if requested is None:
        return spec.max_tokens
    requested = max(1, requested)
    return requested if spec.max_tokens is None else min(requested, spec.max_tokens)


def effective_temperature(spec: ModelSpec, requested: float | None) -> float | None:
    if requested is None:
        return spec.temperature
    requested = min(max(0.0, requested), 2.0)
    return requested if spec.temperature is None else min(requested, spec.temperature)


def _call_arguments(
    spec: ModelSpec, messages: list[dict], *, stream: bool, max_tokens: int | None, temperature: float | None
) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "model": spec.litellm_model,
        "api_base": spec.api_base,
        "api_key": spec.api_key(),
        "messages": messages,
        "stream": stream,
        "timeout": spec.timeout_seconds,
        "num_retries": 0,
        "max_retries": 0,
    }
    limit = effective_max_tokens(spec, max_tokens)
    if limit is not None:
        arguments["max_tokens"] = limit
    heat = effective_temperature(spec, temperature)
    if heat is not None:
        arguments["temperature"] = heat
    if stream:
        arguments["stream_options"] = {"include_usage": True}
    return arguments


async def complete_chat(
    spec: ModelSpec,
    messages: list[dict],
    *,
    max_tokens: int | None = None,
    temperature: float | None = None,
    deadline_seconds: float | None = None,
) -> Completion:
    """The model's whole answer at once."""
    litellm = prepare_litellm()
    started = time.monotonic()
    arguments = _call_arguments(spec, messages, stream=False, max_tokens=max_tokens, temperature=temperature)
    try:
        async with asyncio.timeout(deadline_seconds):
            response = await litellm.acompletion(**arguments)
    except TimeoutError:
        error = UpstreamTimeout(f"model {spec.id!r} exceeded the deadline", model_id=spec.id)
        raise _failed(error, spec, started, streaming=False) from None
    except Exception as exc:
        error = (UpstreamMalformed(f"model {spec.id!r} sent an unreadable answer ({type(exc).__name__})",
                                   model_id=spec.id) if _is_malformed(exc) else None)
        raise _failed(exc, spec, started, streaming=False, error=error) from None
    try:
        completion = _completion_of(response)
    except UpstreamMalformed as exc:
        exc.model_id = spec.id
        raise _failed(exc, spec, started, streaming=False) from None
    _log_success(spec, started, completion.usage, streaming=False)
    return completion


async def stream_chat(
    spec: ModelSpec,
    messages: list[dict],
    *,
    max_tokens: int | None = None,
    temperature: float | None = None,
    deadline_seconds: float | None = None,
    idle_seconds: float | None = None,
) -> AsyncIterator[StreamChunk]:
    """The model's answer piece by piece; the last chunk carries finish_reason and usage.

    Raises StreamInterrupted if the stream breaks or ends without a finish_reason, so a cut
    answer is never mistaken for a complete one; UpstreamMalformed for data that is not a chat
    chunk; UpstreamTimeout when the whole stream takes longer than ``deadline_seconds`` or no
    chunk arrives for ``idle_seconds``. The HTTP read timeout alone cannot catch either: SSE
    keep-alive comments reset it, and a model that never stops talking never trips it.
    """
    litellm = prepare_litellm()
    started = time.monotonic()
    clock = _StreamClock(started, deadline_seconds, idle_seconds)
    arguments = _call_arguments(spec, messages, stream=True, max_tokens=max_tokens, temperature=temperature)
    try:
        async with asyncio.timeout(clock.wait()):
            response = await litellm.acompletion(**arguments)
    except TimeoutError:
        raise _failed(clock.timeout_error(spec), spec, started, streaming=True) from None
    except Exception as exc:
        raise _failed(exc, spec, started, streaming=True) from None

    finish_reason: str | None = None
    usage: Usage | None = None
    delivered_text = False
    chunks = response.__aiter__()
    try:
        while True:
            try:
                async with asyncio.timeout(clock.wait()):
                    chunk = await chunks.__anext__()
            except StopAsyncIteration:
                break
            except TimeoutError:
                raise _failed(clock.timeout_error(spec), spec, started, streaming=True) from None
            except Exception as exc:
                error = _stream_error(exc, spec, delivered_text)
                raise _failed(exc, spec, started, streaming=True, error=error) from None
            try:
                text, chunk_finish, chunk_usage = _read_chunk(chunk)
            except UpstreamMalformed as error:
                error.model_id = spec.id
                raise _failed(error, spec, started, streaming=True) from None
            if chunk_usage is not None:
                usage = chunk_usage
            if text:
                delivered_text = True
                yield StreamChunk(text=text)
            if chunk_finish:
                finish_reason = chunk_finish
        if finish_reason is None:
            error = StreamInterrupted(
                f"stream from model {spec.id!r} ended without a finish_reason", model_id=spec.id
            )
            raise _failed(error, spec, started, streaming=True)
    finally:
        # Also runs when the consumer stops early (browser gone): release the connection.
        close = getattr(response, "aclose", None)
        if close is not None:
            await close()

    usage = usage or Usage()
    _log_success(spec, started, usage, streaming=True)
    yield StreamChunk(text="", finish_reason=finish_reason, usage=usage)


class _StreamClock:
    """How long the next wait may take: the idle time-out, cut short by the overall deadline."""

    def __init__(self, started: float, deadline_seconds: float | None, idle_seconds: float | None) -> None:
        self.deadline = started + deadline_seconds if deadline_seconds else None
        self.idle_seconds = idle_seconds
        self.last_cause = "idle"

    def wait(self) -> float | None:
        if self.deadline is None:
            self.last_cause = "idle"
            return self.idle_seconds
        remaining = max(0.0, self.deadline - time.monotonic())
        if self.idle_seconds is not None and self.idle_seconds < remaining:
            self.last_cause = "idle"
            return self.idle_seconds
        self.last_cause = "deadline"
        return remaining

    def timeout_error(self, spec: ModelSpec) -> UpstreamTimeout:
        what = "sent nothing for too long" if self.last_cause == "idle" else "exceeded the stream deadline"
        return UpstreamTimeout(f"stream from model {spec.id!r} {what}", model_id=spec.id)


def _stream_error(exc: Exception, spec: ModelSpec, delivered_text: bool) -> ProviderError:
    if isinstance(exc, UpstreamMalformed):
        return exc
    if _is_malformed(exc):
        return UpstreamMalformed(f"model {spec.id!r} sent unreadable stream data ({type(exc).__name__})",
                                 model_id=spec.id)
    error = map_exception(exc, spec.id)
    if delivered_text and not isinstance(error, StreamInterrupted):
        # Half an answer has already reached the person: whatever broke, it broke mid-way.
        error = StreamInterrupted(
            f"stream from model {spec.id!r} broke off ({type(exc).__name__})",
            model_id=spec.id,
            upstream_status=error.upstream_status,
        )
    return error


def _is_malformed(exc: BaseException) -> bool:
    """Did the upstream answer, but with data that is no chat completion?

    litellm reports both a broken body and an HTTP 500 as its InternalServerError; the cause
    chain tells them apart: a decode or type error (or litellm's own "no choices" APIError)
    inside, and no HTTP status error or transport failure anywhere.
    """
    import httpx

    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    if any(isinstance(link, (httpx.HTTPError, TimeoutError, ConnectionError)) for link in chain) or any(
        _is_status_error(link) for link in chain[1:]
    ):
        return False
    return any(
        isinstance(link, (ValueError, TypeError, KeyError, AttributeError)) and not isinstance(link, UnicodeError)
        or type(link).__name__ == "APIError"
        for link in chain[1:]
    )


def _is_status_error(exc: BaseException) -> bool:
    # openai.APIStatusError and friends, without importing the SDK here.
    return any(cls.__name__ in ("APIStatusError", "APIConnectionError", "APITimeoutError")
               and cls.__module__.startswith("openai") for cls in type(exc).__mro__)


def _get(obj: Any, name: str) -> Any:
    """A field of litellm's response objects and of plain JSON dicts alike."""
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def _read_chunk(chunk: Any) -> tuple[str, str | None, Usage | None]:
    """(text, finish_reason, usage) of one stream chunk; UpstreamMalformed if it is not one."""
    raw_usage = _get(chunk, "usage")
    usage = Usage.from_upstream(raw_usage) if raw_usage is not None else None
    choices = _get(chunk, "choices")
    if not isinstance(choices, (list, tuple)):
        raise UpstreamMalformed("stream chunk without a list of choices")
    if not choices and usage is None:
        raise UpstreamMalformed("stream chunk with neither choices nor usage")
    text = ""
    finish_reason = None
    for choice in choices:
        if not isinstance(choice, dict) and isinstance(chunk, dict):
            raise UpstreamMalformed("stream chunk whose choices are not objects")
        delta = _get(choice, "delta")
        content = _get(delta, "content") if delta is not None else None
        if content is not None and not isinstance(content, str):
            raise UpstreamMalformed("stream chunk whose content is not text")
        text += content or ""
        reason = _get(choice, "finish_reason")
        if reason:
            finish_reason = str(reason)
    return text, finish_reason, usage


def _completion_of(response: Any) -> Completion:
    choices = _get(response, "choices")
    if not isinstance(choices, (list, tuple)) or not choices:
        raise UpstreamMalformed("completion without choices")
    if isinstance(response, dict) and not isinstance(choices[0], dict):
        raise UpstreamMalformed("completion whose choices are not objects")
    message = _get(choices[0], "message")
    content = _get(message, "content")
    if content is not None and not isinstance(content, str):
        raise UpstreamMalformed("completion whose content is not text")
    return Completion(
        text=content or "",
        usage=Usage.from_upstream(_get(response, "usage")),
        finish_reason=_get(choices[0], "finish_reason"),
    )


def _failed(
    exc: Exception, spec: ModelSpec, started: float, *, streaming: bool, error: ProviderError | None = None
) -> ProviderError:
    """Map ``exc`` (unless ``error`` is already decided), log the event, return the error to raise."""
    error = error or map_exception(exc, spec.id)
    logger.warning(
        "upstream call failed: model=%s code=%s status=%s",
        spec.id,
        error.code,
        error.upstream_status,
        extra={
            "event": "upstream_error",
            "model_id": spec.id,
            "code": error.code,
            "status": error.upstream_status,
            "elapsed_ms": _elapsed_ms(started),
            "exception_type": type(exc).__name__,
            "streaming": streaming,
        },
    )
    return error


def _log_success(spec: ModelSpec, started: float, usage: Usage, *, streaming: bool) -> None:
    logger.info(
        "upstream call done: model=%s",
        spec.id,
        extra={
            "event": "upstream_call",
            "model_id": spec.id,
            "elapsed_ms": _elapsed_ms(started),
            "prompt_tokens": usage.prompt_tokens,
            "completion_tokens": usage.completion_tokens,
            "streaming": streaming,
        },
    )


def _elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
