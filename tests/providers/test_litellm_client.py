"""complete_chat / stream_chat: real litellm over real HTTP against the FakeUpstream."""
from __future__ import annotations

import asyncio
import copy
import logging
import socket

import pytest

from providers import (
    StreamInterrupted,
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
    Usage,
    complete_chat,
    stream_chat,
)

pytestmark = pytest.mark.anyio

KEY_ENV = "SPIELRAUM_TEST_ECHO_KEY"


def _user(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]


def _expected_usage(messages: list[dict], answer: str) -> Usage:
    # The fake counts whitespace-separated words; derive the numbers the same way here.
    prompt = sum(len(m["content"].split()) for m in messages)
    completion = len(answer.split())
    return Usage(prompt, completion, prompt + completion)


async def _collect(spec, messages, **kwargs):
    return [chunk async for chunk in stream_chat(spec, messages, **kwargs)]


# -- whole answers ---------------------------------------------------------------------------
async def test_complete_chat_returns_text_usage_and_finish_reason(fake_upstream, make_spec):
    messages = [{"role": "system", "content": "Sei knapp."}, *_user("Wer ist [PERSON_1]?")]

    completion = await complete_chat(make_spec(), messages)

    assert completion.text == "Echo: Wer ist [PERSON_1]?"
    assert completion.finish_reason == "stop"
    assert completion.usage == _expected_usage(messages, completion.text)


async def test_request_carries_messages_limits_and_key_from_env(fake_upstream, make_spec, monkeypatch):
    spec = make_spec()
    # Set after the spec exists: the key must be read at call time, not when the spec is built.
    monkeypatch.setenv(KEY_ENV, "sk-test-123")
    messages = [{"role": "system", "content": "Sei knapp."}, *_user("Hallo")]
    original = copy.deepcopy(messages)

    await complete_chat(spec, messages)

    assert messages == original  # the caller's history is not touched

    [request] = fake_upstream.requests
    assert request.path == "/v1/chat/completions"
    assert request["model"] == "echo"
    assert request["messages"] == original
    assert request["max_tokens"] == 256 and request["temperature"] == 0.2
    assert not request.get("stream")
    assert request.headers["authorization"] == "Bearer sk-test-123"


async def test_missing_key_env_sends_a_dummy_key(fake_upstream, make_spec, monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)

    await complete_chat(make_spec(), _user("Hallo"))

    assert fake_upstream.requests[0].headers["authorization"] == "Bearer unused"


@pytest.mark.parametrize(
    "asked_tokens, asked_temperature, sent_tokens, sent_temperature",
    [
        (None, None, 256, 0.2),  # catalogue values as defaults
        (10_000, 1.5, 256, 0.2),  # capped at the catalogue limits
        (32, 0.0, 32, 0.0),  # below the limits: as asked
    ],
)
async def test_limits_are_clamped_to_the_catalogue(
    fake_upstream, make_spec, asked_tokens, asked_temperature, sent_tokens, sent_temperature
):
    await complete_chat(make_spec(), _user("x"), max_tokens=asked_tokens, temperature=asked_temperature)

    request = fake_upstream.requests[0]
    assert (request["max_tokens"], request["temperature"]) == (sent_tokens, sent_temperature)


async def test_without_catalogue_limits_nothing_is_imposed(fake_upstream, make_spec):
    await complete_chat(make_spec(max_tokens=None, temperature=None), _user("x"))

    request = fake_upstream.requests[0]
    assert "max_tokens" not in request and "temperature" not in request


# -- streamed answers ------------------------------------------------------------------------
async def test_stream_yields_text_chunks_then_one_final_chunk_with_usage(fake_upstream, make_spec):
    messages = _user("eins zwei drei vier")

    chunks = await _collect(make_spec(), messages)

    *texts, final = chunks
    assert len(texts) > 1
    assert all(c.finish_reason is None and c.usage is None and c.text for c in texts)
    answer = "".join(c.text for c in texts)
    assert answer == "Echo: eins zwei drei vier"
    assert final.finish_reason == "stop" and final.text == ""
    assert final.usage == _expected_usage(messages, answer)
    request = fake_upstream.requests[0]
    assert request["stream"] is True
    assert request["stream_options"] == {"include_usage": True}


async def test_split_placeholders_arrive_as_they_were_sent(fake_upstream, make_spec):
    fake_upstream.behaviour = "split_placeholder"
    fake_upstream.reply_text = "Guten Tag [PERSON_1], Ihre IBAN [IBAN_CODE_1] ist notiert."

    chunks = await _collect(make_spec(), _user("x"))

    texts = [c.text for c in chunks if c.text]
    assert texts[0].endswith("[PER") and texts[1].startswith("SON_1]")
    assert "".join(texts) == fake_upstream.reply_text


async def test_consumer_may_stop_early(fake_upstream, make_spec):
    stream = stream_chat(make_spec(), _user("eins zwei drei vier fünf"))
    first = await stream.__anext__()
    await stream.aclose()  # the browser went away

    assert first.text
    # The fake is still usable afterwards: the connection was released cleanly.
    assert (await complete_chat(make_spec(), _user("danach"))).text == "Echo: danach"


async def test_concurrent_streams_do_not_mix(fake_upstream, make_spec):
    prompts = [f"Anfrage Nummer {n} bitte" for n in range(5)]

    results = await asyncio.gather(*(_collect(make_spec(), _user(p)) for p in prompts))

    answers = ["".join(c.text for c in chunks) for chunks in results]
    assert answers == [f"Echo: {p}" for p in prompts]


# -- failures --------------------------------------------------------------------------------
@pytest.mark.parametrize("streamed", [False, True])
async def test_server_error_is_upstream_unavailable_without_retries(fake_upstream, make_spec, streamed):
    fake_upstream.behaviour = "error_500"

    with pytest.raises(UpstreamUnavailable) as caught:
        if streamed:
            await _collect(make_spec(), _user("x"))
        else:
            await complete_chat(make_spec(), _user("x"))

    assert caught.value.code == "upstream_error" and caught.value.http_status == 502
    assert caught.value.upstream_status == 500
    assert len(fake_upstream.requests) == 1  # no silent retries


@pytest.mark.parametrize("streamed", [False, True])
async def test_bad_key_is_upstream_rejected(fake_upstream, make_spec, streamed):
    fake_upstream.behaviour = "error_401"

    with pytest.raises(UpstreamRejected) as caught:
        if streamed:
            await _collect(make_spec(), _user("x"))
        else:
            await complete_chat(make_spec(), _user("x"))

    assert caught.value.code == "upstream_rejected" and caught.value.upstream_status == 401


@pytest.mark.parametrize("streamed", [False, True])
async def test_slow_upstream_with_short_timeout_is_upstream_timeout(fake_upstream, make_spec, streamed):
    fake_upstream.behaviour = "slow"
    fake_upstream.delay_seconds = 2.0
    spec = make_spec(timeout_seconds=0.3)

    with pytest.raises(UpstreamTimeout) as caught:
        if streamed:
            await _collect(spec, _user("x"))
        else:
            await complete_chat(spec, _user("x"))

    assert caught.value.code == "upstream_timeout" and caught.value.http_status == 504


async def test_rate_limit_is_rejected_with_its_own_advice(fake_upstream, make_spec):
    fake_upstream.behaviour = "error_429"

    with pytest.raises(UpstreamRejected) as caught:
        await complete_chat(make_spec(), _user("x"))

    assert caught.value.reason == "rate_limited" and caught.value.upstream_status == 429
    assert "ausgelastet" in caught.value.user_message


@pytest.mark.parametrize("behaviour", ["broken_stream", "truncated_stream", "stall_stream"])
async def test_stream_that_breaks_off_is_stream_interrupted(fake_upstream, make_spec, behaviour):
    fake_upstream.behaviour = behaviour
    fake_upstream.delay_seconds = 2.0
    received = []

    with pytest.raises(StreamInterrupted) as caught:
        async for chunk in stream_chat(make_spec(timeout_seconds=0.3), _user("eins zwei drei vier fünf sechs")):
            received.append(chunk)

    assert received and all(c.finish_reason is None for c in received)
    assert caught.value.code == "stream_interrupted"


async def test_connection_refused_is_upstream_unavailable(make_spec):
    with socket.socket() as probe:  # a port that was free a moment ago and has no listener now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(UpstreamUnavailable):
        await complete_chat(make_spec(api_base=f"http://127.0.0.1:{port}/v1"), _user("x"))


async def test_errors_and_logs_never_carry_prompt_text(fake_upstream, make_spec, caplog):
    fake_upstream.behaviour = "error_400"  # this upstream quotes the prompt in its error
    secret = "Erika Mustermann DE02120300000000202051"

    # Root at DEBUG, as an operator hunting a problem might set it: litellm's request dumps
    # must still stay out.
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(UpstreamRejected) as caught:
            await complete_chat(make_spec(), _user(secret))
        fake_upstream.behaviour = "echo"
        await _collect(make_spec(), _user(secret))

    assert secret in fake_upstream.all_text()  # the prompt really went out and came back
    error = caught.value
    for text in (str(error), repr(error), error.user_message, error.user_message_en):
        assert "Mustermann" not in text
    assert error.__cause__ is None and error.__suppress_context__
    assert caplog.records  # logging was on
    for record in caplog.records:
        assert "Mustermann" not in record.getMessage()
        assert "Mustermann" not in repr(record.__dict__)


async def test_failure_is_logged_as_a_structured_event(fake_upstream, make_spec, caplog):
    fake_upstream.behaviour = "error_500"

    with caplog.at_level(logging.INFO, logger="providers"):
        with pytest.raises(UpstreamUnavailable):
            await complete_chat(make_spec(id="echo-model"), _user("x"))

    [event] = [r for r in caplog.records if getattr(r, "event", None) == "upstream_error"]
    assert event.model_id == "echo-model"
    assert event.code == "upstream_error" and event.status == 500
    assert isinstance(event.elapsed_ms, int) and event.elapsed_ms >= 0
