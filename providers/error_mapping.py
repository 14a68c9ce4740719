"""Translate whatever litellm, the OpenAI SDK or httpx raise into Spielraum's provider errors.

Design choice: the mapping goes by exception class first (timeouts, connection failures and
broken streams have no meaningful HTTP status) and by the upstream's HTTP status second, so an
exception class litellm adds in a later release still lands in the right family. The order
matters: litellm's ``Timeout`` is a subclass of ``APIConnectionError``, and its
``MidStreamFallbackError`` is a ``ServiceUnavailableError``.
"""
from __future__ import annotations

import asyncio

import httpx

from providers.errors import (
    ProviderError,
    StreamInterrupted,
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from providers.litellm_setup import prepare_litellm


def upstream_status(exc: BaseException) -> int | None:
    status = getattr(exc, "status_code", None)
    return status if isinstance(status, int) else None


def map_exception(exc: Exception, model_id: str) -> ProviderError:
    """The ProviderError for ``exc``; its detail names only the model, status and exception class."""
    if isinstance(exc, ProviderError):
        return exc
    litellm = _litellm_exceptions()
    kind = type(exc).__name__
    status = upstream_status(exc)
    facts = dict(model_id=model_id, upstream_status=status)

    if isinstance(exc, (litellm.Timeout, httpx.TimeoutException, asyncio.TimeoutError, TimeoutError)):
        return UpstreamTimeout(f"model {model_id!r} did not answer in time ({kind})", **facts)
    if isinstance(exc, litellm.MidStreamFallbackError):
        return StreamInterrupted(f"stream from model {model_id!r} broke off ({kind})", **facts)
    if isinstance(exc, (litellm.APIConnectionError, httpx.TransportError, ConnectionError)) or _never_connected(exc):
        error = UpstreamUnavailable(f"model {model_id!r} cannot be reached ({kind})", **facts)
        error.unreachable = True
        return error

    reason = _rejection_reason(exc, litellm)
    if reason is not None or (status is not None and 400 <= status < 500):
        if status == 408:
            return UpstreamTimeout(f"model {model_id!r} reported a timeout (HTTP 408)", **facts)
        return UpstreamRejected(
            f"model {model_id!r} rejected the request (HTTP {status}, {kind})", reason=reason, **facts
        )
    return UpstreamUnavailable(f"model {model_id!r} failed (HTTP {status}, {kind})", **facts)


def _never_connected(exc: BaseException) -> bool:
    """litellm reports a refused connection to an OpenAI-compatible server as an HTTP 500
    InternalServerError; the cause chain still holds the transport failure underneath."""
    current, seen = exc.__cause__ or exc.__context__, 0
    while current is not None and seen < 10:
        if isinstance(current, (httpx.ConnectError, ConnectionRefusedError)) or (
                type(current).__name__ == "APIConnectionError" and type(current).__module__.startswith("openai")
                and not isinstance(current.__cause__ or current.__context__, (httpx.TimeoutException, TimeoutError))):
            return True
        current, seen = current.__cause__ or current.__context__, seen + 1
    return False


def _litellm_exceptions():
    prepare_litellm()
    from litellm import exceptions

    return exceptions


def _rejection_reason(exc: Exception, litellm) -> str | None:
    # Subclasses of BadRequestError first: they refine what the person can do about it.
    if isinstance(exc, litellm.ContextWindowExceededError):
        return "context_too_long"
    if isinstance(exc, litellm.ContentPolicyViolationError):
        return "content_policy"
    if isinstance(exc, litellm.RateLimitError):
        return "rate_limited"
    if isinstance(
        exc,
        (
            litellm.AuthenticationError,
            litellm.PermissionDeniedError,
            litellm.NotFoundError,
            litellm.BadRequestError,
            litellm.UnprocessableEntityError,
        ),
    ):
        return ""  # rejected, no more specific advice than the default message
    return None
