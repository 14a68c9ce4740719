"""Every litellm exception family lands on the right Spielraum error, with the right advice."""
from __future__ import annotations

import httpx
import pytest
from litellm import exceptions as llx

from providers import (
    ProviderError,
    StreamInterrupted,
    UnknownModel,
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from providers.error_mapping import map_exception

_RESPONSE = httpx.Response(500, request=httpx.Request("POST", "http://upstream/v1/chat/completions"))


def _make(cls, **extra):
    return cls(message="Kunde Erika Mustermann", model="m", llm_provider="openai", **extra)


CASES = [
    (lambda: _make(llx.Timeout), UpstreamTimeout, None),
    (lambda: _make(llx.APIConnectionError), UpstreamUnavailable, None),
    (lambda: _make(llx.ServiceUnavailableError), UpstreamUnavailable, None),
    (lambda: _make(llx.InternalServerError), UpstreamUnavailable, None),
    (lambda: _make(llx.BadGatewayError), UpstreamUnavailable, None),
    (lambda: llx.APIError(status_code=503, message="x", llm_provider="openai", model="m"), UpstreamUnavailable, None),
    (lambda: llx.APIError(status_code=422, message="x", llm_provider="openai", model="m"), UpstreamRejected, None),
    (lambda: _make(llx.AuthenticationError), UpstreamRejected, ""),
    (lambda: _make(llx.BadRequestError), UpstreamRejected, ""),
    (lambda: _make(llx.NotFoundError), UpstreamRejected, ""),
    (lambda: _make(llx.PermissionDeniedError, response=_RESPONSE), UpstreamRejected, ""),
    (lambda: _make(llx.RateLimitError), UpstreamRejected, "rate_limited"),
    (lambda: _make(llx.ContextWindowExceededError), UpstreamRejected, "context_too_long"),
    (lambda: _make(llx.ContentPolicyViolationError), UpstreamRejected, "content_policy"),
    (lambda: _make(llx.MidStreamFallbackError), StreamInterrupted, None),
    (lambda: httpx.ReadTimeout("slow"), UpstreamTimeout, None),
    (lambda: httpx.ConnectError("refused"), UpstreamUnavailable, None),
    (lambda: RuntimeError("something inside litellm"), UpstreamUnavailable, None),
]


@pytest.mark.parametrize("make_exc, expected, reason", CASES, ids=lambda v: getattr(v, "__name__", None))
def test_mapping(make_exc, expected, reason):
    error = map_exception(make_exc(), "m")

    assert type(error) is expected
    assert error.model_id == "m"
    assert "Mustermann" not in str(error)
    if reason is not None:
        assert error.reason == reason


def test_rejection_reasons_change_only_the_message():
    plain = map_exception(_make(llx.BadRequestError), "m")
    too_long = map_exception(_make(llx.ContextWindowExceededError), "m")

    assert plain.code == too_long.code == "upstream_rejected"
    assert plain.user_message != too_long.user_message
    assert "neue Unterhaltung" in too_long.user_message


@pytest.mark.parametrize(
    "cls, code, status",
    [
        (UpstreamTimeout, "upstream_timeout", 504),
        (UpstreamUnavailable, "upstream_error", 502),
        (UpstreamRejected, "upstream_rejected", 502),
        (StreamInterrupted, "stream_interrupted", 502),
        (UnknownModel, "unknown_model", 404),
    ],
)
def test_error_contract(cls, code, status):
    error = cls("detail")

    assert isinstance(error, ProviderError)
    assert (error.code, error.http_status) == (code, status)
    assert "Sie" in error.user_message  # German, polite form
    assert error.user_message_en and error.user_message_en != error.user_message
