"""The fake upstream itself: it records what arrives and answers like an OpenAI-compatible server."""
from __future__ import annotations

import json

import httpx
import pytest

from tests.support.fake_upstream import FakeUpstream, placeholder_splitting_chunks


def _chat(upstream: FakeUpstream, content: str, **extra) -> httpx.Response:
    body = {"model": "echo", "messages": [{"role": "user", "content": content}], **extra}
    return httpx.post(f"{upstream.base_url}/chat/completions", json=body,
                      headers={"Authorization": "Bearer test-key"}, timeout=10)


def _sse_payloads(response: httpx.Response) -> list[str]:
    return [line[len("data: "):] for line in response.text.splitlines() if line.startswith("data: ")]


def test_records_body_path_and_headers(fake_upstream):
    _chat(fake_upstream, "Hallo Welt")

    [request] = fake_upstream.requests
    assert request["messages"] == [{"role": "user", "content": "Hallo Welt"}]
    assert request.path == "/v1/chat/completions"
    assert request.method == "POST"
    assert request.headers["authorization"] == "Bearer test-key"
    assert "Hallo Welt" in fake_upstream.all_text()


def test_reset_forgets_requests_but_keeps_behaviour(fake_upstream):
    fake_upstream.behaviour = "reply"
    _chat(fake_upstream, "eins")
    fake_upstream.reset()

    assert fake_upstream.requests == []
    assert fake_upstream.all_text() == ""
    assert fake_upstream.behaviour == "reply"


def test_echo_answers_with_the_last_user_message(fake_upstream):
    body = _chat(fake_upstream, "Wie spät ist es?").json()

    assert body["choices"][0]["message"]["content"] == "Echo: Wie spät ist es?"
    assert body["choices"][0]["finish_reason"] == "stop"
    assert body["usage"]["completion_tokens"] == len("Echo: Wie spät ist es?".split())


def test_echo_streams_several_chunks_then_usage_then_done(fake_upstream):
    response = _chat(fake_upstream, "eins zwei drei", stream=True, stream_options={"include_usage": True})
    payloads = _sse_payloads(response)

    assert payloads[-1] == "[DONE]"
    events = [json.loads(p) for p in payloads[:-1]]
    texts = [e["choices"][0]["delta"].get("content", "") for e in events if e["choices"]]
    assert len([t for t in texts if t]) > 1
    assert "".join(texts) == "Echo: eins zwei drei"
    assert events[-1]["choices"] == [] and events[-1]["usage"]["prompt_tokens"] == 3


def test_stream_without_include_usage_has_no_usage_chunk(fake_upstream):
    payloads = _sse_payloads(_chat(fake_upstream, "eins", stream=True))

    assert not any("usage" in json.loads(p) for p in payloads[:-1])


def test_split_placeholder_cuts_every_placeholder():
    chunks = placeholder_splitting_chunks("An [PERSON_1] und [IBAN_CODE_12].")

    assert "".join(chunks) == "An [PERSON_1] und [IBAN_CODE_12]."
    assert not any("[PERSON_1]" in c or "[IBAN_CODE_12]" in c for c in chunks)
    assert any(c.endswith("[PER") for c in chunks)


def test_broken_stream_cuts_the_connection_without_done(fake_upstream):
    fake_upstream.behaviour = "broken_stream"
    received = []
    with pytest.raises(httpx.RemoteProtocolError):
        with httpx.stream("POST", f"{fake_upstream.base_url}/chat/completions", timeout=10,
                          json={"model": "m", "stream": True,
                                "messages": [{"role": "user", "content": "eins zwei drei vier"}]}) as r:
            for line in r.iter_lines():
                received.append(line)
    assert any(line.startswith("data: {") for line in received)
    assert "data: [DONE]" not in received


@pytest.mark.parametrize("behaviour, status", [("error_500", 500), ("error_401", 401), ("error_400", 400)])
def test_error_behaviours_answer_with_their_status(fake_upstream, behaviour, status):
    fake_upstream.behaviour = behaviour

    response = _chat(fake_upstream, "x")

    assert response.status_code == status
    assert "message" in response.json()["error"]


def test_models_endpoint_lists_a_model(fake_upstream):
    response = httpx.get(f"{fake_upstream.base_url}/models", timeout=10)

    assert response.status_code == 200
    assert response.json()["data"][0]["object"] == "model"
    assert fake_upstream.requests[0].path == "/v1/models"


def test_unknown_behaviour_is_refused_at_once(fake_upstream):
    with pytest.raises(ValueError, match="unknown FakeUpstream behaviour"):
        fake_upstream.behaviour = "explode"


def test_each_instance_gets_its_own_port():
    with FakeUpstream() as first, FakeUpstream() as second:
        assert first.port != second.port
        _chat(first, "nur hier")
        assert len(first.requests) == 1 and second.requests == []
