"""Stream deadlines and malformed data, through litellm against the FakeUpstream over real HTTP.

`openai/…` and `hosted_vllm/…` are two of litellm's providers for OpenAI-compatible servers;
both must give the same text, usage and error codes.
"""
from __future__ import annotations

import time

import pytest

from providers import ProviderError, complete_chat, stream_chat

pytestmark = pytest.mark.anyio
ROADS = ["openai/echo", "hosted_vllm/echo"]
MESSAGES = [{"role": "user", "content": "Bitte fassen Sie den Bescheid zusammen."}]


async def _outcome(spec, streamed: bool, **limits):
    try:
        if streamed:
            chunks = [c async for c in stream_chat(spec, MESSAGES, **limits)]
            return "".join(c.text for c in chunks), chunks[-1].usage
        completion = await complete_chat(spec, MESSAGES)
        return completion.text, completion.usage
    except ProviderError as exc:
        return exc.code, None


@pytest.mark.parametrize("streamed", [False, True])
async def test_both_providers_give_the_same_answer(fake_upstream, make_spec, streamed):
    openai = await _outcome(make_spec(litellm_model=ROADS[0]), streamed)
    vllm = await _outcome(make_spec(litellm_model=ROADS[1]), streamed)
    assert openai == vllm and openai[0] == "Echo: " + MESSAGES[0]["content"]


@pytest.mark.parametrize("behaviour", ["malformed_json", "malformed_no_choices", "malformed_types"])
@pytest.mark.parametrize("streamed", [False, True])
async def test_malformed_data_is_upstream_malformed(fake_upstream, make_spec, behaviour, streamed):
    # Through litellm's `openai/` provider; its other providers differ here (hosted_vllm, for one,
    # skips an unreadable stream chunk and reports a broken body as an HTTP 500).
    fake_upstream.behaviour = behaviour
    code, _ = await _outcome(make_spec(litellm_model="openai/echo"), streamed)
    assert code == "upstream_malformed"


@pytest.mark.parametrize("road", ROADS)
@pytest.mark.parametrize("behaviour, limits", [
    ("keepalive_stream", {"idle_seconds": 0.8, "deadline_seconds": 30}),
    ("endless_stream", {"idle_seconds": 5, "deadline_seconds": 1.5}),
])
async def test_streams_end_at_their_idle_time_out_or_deadline(fake_upstream, make_spec, road, behaviour, limits):
    fake_upstream.behaviour = behaviour
    fake_upstream.interval_seconds = 0.2
    started = time.monotonic()
    code, _ = await _outcome(make_spec(litellm_model=road), True, **limits)
    elapsed = time.monotonic() - started
    assert code == "upstream_timeout"
    assert elapsed < min(limits.values()) + 5
