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

import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from providers.catalogue import ModelSpec
from providers.error_mapping import map_exception
from providers.errors import ProviderError, StreamInterrupted
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
    spec: ModelSpec, messages: list[dict], *, max_tokens: int | None = None, temperature: float | None = None
) -> Completion:
    """The model's whole answer at once."""
    litellm = prepare_litellm()
    started = time.monotonic()
    arguments = _call_arguments(spec, messages, stream=False, max_tokens=max_tokens, temperature=temperature)
    try:
        response = await litellm.acompletion(**arguments)
    except Exception as exc:
        raise _failed(exc, spec, started, streaming=False) from None
    choice = response.choices[0]
    completion = Completion(
        text=choice.message.content or "",
        usage=Usage.from_upstream(getattr(response, "usage", None)),
        finish_reason=choice.finish_reason,
    )
    _log_success(spec, started, completion.usage, streaming=False)
    return completion


async def stream_chat(
    spec: ModelSpec, messages: list[dict], *, max_tokens: int | None = None, temperature: float | None = None
) -> AsyncIterator[StreamChunk]:
    """The model's answer piece by piece; the last chunk carries finish_reason and usage.

    Raises StreamInterrupted if the stream breaks or ends without a finish_reason, so a cut
    answer is never mistaken for a complete one.
    """
    litellm = prepare_litellm()
    started = time.monotonic()
    arguments = _call_arguments(spec, messages, stream=True, max_tokens=max_tokens, temperature=temperature)
    try:
        response = await litellm.acompletion(**arguments)
    except Exception as exc:
        raise _failed(exc, spec, started, streaming=True) from None

    finish_reason: str | None = None
    usage: Usage | None = None
    delivered_text = False
    try:
        try:
            async for chunk in response:
                if getattr(chunk, "usage", None) is not None:
                    usage = Usage.from_upstream(chunk.usage)
                for choice in chunk.choices or ():
                    text = getattr(choice.delta, "content", None) or ""
                    if text:
                        delivered_text = True
                        yield StreamChunk(text=text)
                    if choice.finish_reason:
                        finish_reason = choice.finish_reason
        except Exception as exc:
            error = map_exception(exc, spec.id)
            if delivered_text and not isinstance(error, StreamInterrupted):
                # Half an answer has already reached the person: whatever broke, it broke mid-way.
                error = StreamInterrupted(
                    f"stream from model {spec.id!r} broke off ({type(exc).__name__})",
                    model_id=spec.id,
                    upstream_status=error.upstream_status,
                )
            raise _failed(exc, spec, started, streaming=True, error=error) from None
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
