"""The browser and the API run one pipeline: same scenario, same verdict and code on both paths.

Real app, real guard, real SQLite, the fake upstream over real HTTP. The web path goes
through the real `/chat/stream` route (signed in, CSRF), the API path through
`/v1/chat/completions` with a token; each scenario's stored exchange is read back.
"""
from __future__ import annotations

import json
import time

import pytest
from sqlmodel import select

from app.storage.tables import Exchange
from tests.app.test_pages import chat_csrf, login, stream

PROMPT = "Erklären Sie bitte kurz das Widerspruchsverfahren."

# (fake upstream behaviour, model, expected code (None: answered), verdict)
SCENARIOS = [
    ("echo", "fake", None, "sent"),
    ("error_500", "fake", "upstream_error", "error"),
    ("slow", "fake-short", "upstream_timeout", "error"),
    ("broken_stream", "fake", "stream_interrupted", "error"),
    ("malformed_json", "fake", "upstream_malformed", "error"),
    ("malformed_no_choices", "fake", "upstream_malformed", "error"),
    ("malformed_types", "fake", "upstream_malformed", "error"),
    ("keepalive_stream", "fake-short", "upstream_timeout", "error"),   # comments only: idle time-out
    ("endless_stream", "fake", "upstream_timeout", "error"),           # never ends: overall deadline
]


@pytest.fixture
def both(make_env, fake_upstream):
    env = make_env(stream_deadline_seconds=2.0)
    user = env.user()
    token = env.token(user)
    assert login(env.client).status_code == 303
    fake_upstream.delay_seconds = 3
    fake_upstream.interval_seconds = 0.3
    return env, token


def last_exchange(env) -> Exchange:
    with env.session() as session:
        return session.exec(select(Exchange).order_by(Exchange.id.desc())).first()


def web_outcome(env, model: str, prompt: str = PROMPT, **kwargs) -> tuple[str | None, list[dict]]:
    response, events = stream(env.client, chat_csrf(env.client), prompt, model_id=model, **kwargs)
    assert response.status_code == 200
    last = events[-1]
    return (None if last["type"] == "done" else last.get("code", last["type"])), events


def api_outcome(env, token: str, model: str, *, streamed: bool, prompt: str = PROMPT,
                headers: dict | None = None) -> tuple[str | None, int]:
    response = env.client.post("/v1/chat/completions", headers={"Authorization": f"Bearer {token}", **(headers or {})},
                               json={"model": model, "stream": streamed,
                                     "messages": [{"role": "user", "content": prompt}]})
    if response.status_code != 200:
        return response.json()["error"]["code"], response.status_code
    if not streamed:
        return None, 200
    blocks = [b[len("data: "):] for b in response.text.split("\n\n") if b.strip()]
    if blocks[-1] == "[DONE]":
        return None, 200
    return json.loads(blocks[-1])["error"]["code"], 200


@pytest.mark.parametrize("behaviour, model, code, verdict", SCENARIOS)
def test_web_and_streamed_api_agree(both, fake_upstream, behaviour, model, code, verdict):
    env, token = both
    fake_upstream.behaviour = behaviour
    started = time.monotonic()
    web_code, events = web_outcome(env, model)
    web_exchange = last_exchange(env)
    api_code, _status = api_outcome(env, token, model, streamed=True)
    api_exchange = last_exchange(env)
    assert time.monotonic() - started < 20, "a stream outlived its deadline"

    assert web_code == api_code == code, events
    assert (web_exchange.channel, api_exchange.channel) == ("web", "api")
    assert web_exchange.verdict == api_exchange.verdict == verdict
    assert web_exchange.error_code == api_exchange.error_code == code
    if code is not None:
        error = events[-1]
        assert error["type"] == "error" and error["message_de"] and error["message_en"]
        assert "_" not in error["message_de"]  # a sentence, not a code


@pytest.mark.parametrize("behaviour", ["malformed_json", "malformed_no_choices", "malformed_types"])
def test_malformed_whole_answer_is_an_error_not_an_empty_success(both, fake_upstream, behaviour):
    env, token = both
    fake_upstream.behaviour = behaviour
    code, status = api_outcome(env, token, "fake", streamed=False)
    assert (code, status) == ("upstream_malformed", 502)
    exchange = last_exchange(env)
    assert exchange.verdict == "error" and exchange.error_code == "upstream_malformed"


def test_before_sending_both_paths_refuse_alike(both, fake_upstream):
    env, token = both
    for model, prompt, code in [("nope", PROMPT, "model_not_found"), ("fake-dpo", PROMPT, "model_not_found"),
                                ("fake", "x" * (env.settings.max_prompt_chars + 1), "prompt_too_long"),
                                ("fake", "   ", "empty_prompt")]:
        web_code, _ = web_outcome(env, model, prompt)
        api_code, status = api_outcome(env, token, model, streamed=False, prompt=prompt)
        assert web_code == api_code == code
        assert status in (400, 404, 413)
    assert fake_upstream.requests == []


def test_another_users_conversation_is_404_on_both_paths(both, make_env, fake_upstream):
    env, token = both
    _, events = web_outcome(env, "fake")
    conversation_id = events[0]["conversation_id"]
    other = env.user("other")
    other_token = env.token(other)
    env.client.cookies.clear()
    assert login(env.client, "other").status_code == 303

    web_code, _ = web_outcome(env, "fake", conversation_id=conversation_id)
    api_code, status = api_outcome(env, other_token, "fake", streamed=True,
                                   headers={"X-Spielraum-Conversation": str(conversation_id)})
    assert web_code == api_code == "conversation_not_found" and status == 404
    # The owner may continue it through the API as well.
    code, _ = api_outcome(env, token, "fake", streamed=False,
                          headers={"X-Spielraum-Conversation": str(conversation_id)})
    assert code is None


def test_blocked_data_is_named_by_label_on_both_paths(make_env, fake_upstream, blocking_guard):
    from tests.app.conftest import PII_PROMPT

    env = make_env(app_guard=blocking_guard)
    token = env.token(env.user())
    assert login(env.client).status_code == 303
    _, events = web_outcome(env, "fake", PII_PROMPT)
    response = env.client.post("/v1/chat/completions", headers={"Authorization": f"Bearer {token}"},
                               json={"model": "fake", "messages": [{"role": "user", "content": PII_PROMPT}]})
    web, api = events[-1], response.json()["error"]
    assert web["type"] == "blocked" and response.status_code == 400 and api["code"] == "pii_blocked"
    assert web["entity_types"] == api["entity_types"] == ["IBAN_CODE"]
    assert web["message_de"] == api["message_de"] and web["message_en"] == api["message_en"]
    assert "IBAN_CODE" not in web["message_de"] + web["message_en"]
    assert fake_upstream.requests == []
