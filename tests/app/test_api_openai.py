"""The OpenAI-compatible API through real HTTP handling (TestClient) and a fake model over real HTTP."""
from __future__ import annotations

import json

import pytest
from sqlmodel import select

from app.accounts.api_tokens import hash_token
from app.storage.tables import ApiToken, Exchange, FindingRecord
from tests.app.conftest import PII_PROMPT, RESTORED_VALUES, dump_database, leaked


@pytest.fixture
def api(env):
    user = env.user()
    env.client.headers["Authorization"] = f"Bearer {env.token(user)}"
    return env


def post_chat(env, payload: dict, **kwargs):
    return env.client.post("/v1/chat/completions", json=payload, **kwargs)


def sse_events(response) -> list:
    events = []
    for block in response.text.split("\n\n"):
        if not block.strip():
            continue
        assert block.startswith("data: "), block
        data = block[len("data: "):]
        events.append(data if data == "[DONE]" else json.loads(data))
    return events


def test_plain_completion_in_openai_shape_with_pii_restored(api, fake_upstream):
    response = post_chat(api, {"model": "fake", "messages": [
        {"role": "system", "content": "Sie sind eine höfliche Assistenz der Verwaltung."},
        {"role": "user", "content": PII_PROMPT}]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["id"].startswith("chatcmpl-") and body["object"] == "chat.completion"
    assert body["model"] == "fake" and isinstance(body["created"], int)
    choice = body["choices"][0]
    assert choice["message"]["role"] == "assistant" and choice["finish_reason"] == "stop"
    assert set(body["usage"]) == {"prompt_tokens", "completion_tokens", "total_tokens"}
    assert body["usage"]["total_tokens"] > 0
    for value in RESTORED_VALUES:
        assert value in choice["message"]["content"]
    assert leaked(fake_upstream.all_text()) == []
    assert leaked(dump_database(api.app.state.engine)) == []
    with api.session() as session:
        exchange = session.exec(select(Exchange)).one()
        findings = session.exec(select(FindingRecord)).all()
    assert exchange.channel == "api" and exchange.verdict == "sent" and "[IBAN_CODE_1]" in exchange.prompt_pseudonymised
    assert {f.entity_type for f in findings} >= {"PERSON", "IBAN_CODE"}


def test_whole_history_is_repseudonymised_with_stable_placeholders(api, fake_upstream):
    first = post_chat(api, {"model": "fake", "messages": [{"role": "user", "content": PII_PROMPT}]}).json()
    answer = first["choices"][0]["message"]["content"]
    first_sent = fake_upstream.requests[-1]["messages"][-1]["content"]
    fake_upstream.reset()
    follow_up = post_chat(api, {"model": "fake", "messages": [
        {"role": "user", "content": PII_PROMPT},
        {"role": "assistant", "content": answer},
        {"role": "user", "content": "Bitte kürzer, und grüßen Sie Anna Schmidt herzlich."}]})
    assert follow_up.status_code == 200, follow_up.text
    sent = fake_upstream.requests[-1]["messages"]
    assert sent[0]["content"] == first_sent  # same placeholders as in the first call
    assert sent[1]["content"] == "Echo: " + first_sent  # the restored answer pseudonymises back
    assert "[PERSON_1]" in sent[2]["content"]
    assert leaked(fake_upstream.all_text()) == []
    assert "Anna Schmidt" in follow_up.json()["choices"][0]["message"]["content"]


def test_streamed_completion_restores_split_placeholders(api, fake_upstream):
    fake_upstream.behaviour = "split_placeholder"
    response = post_chat(api, {"model": "fake", "stream": True, "stream_options": {"include_usage": True},
                               "messages": [{"role": "user", "content":
                                             "Frau Anna Schmidt hat die IBAN DE89 3704 0044 0532 0130 00 angegeben."}]})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response)
    assert events[-1] == "[DONE]"
    chunks = events[:-1]
    assert all(c["object"] == "chat.completion.chunk" and c["model"] == "fake" for c in chunks)
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    assert text == "Sehr geehrte Frau Anna Schmidt, Ihre IBAN DE89 3704 0044 0532 0130 00 ist vermerkt."
    assert [c["choices"][0]["finish_reason"] for c in chunks if c["choices"]][-1] == "stop"
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["completion_tokens"] > 0
    assert leaked(fake_upstream.all_text()) == []


def test_stream_broken_midway_ends_with_an_error_event(api, fake_upstream):
    fake_upstream.behaviour = "broken_stream"
    response = post_chat(api, {"model": "fake", "stream": True,
                               "messages": [{"role": "user", "content": "Erklären Sie bitte das Widerspruchsverfahren."}]})
    events = sse_events(response)
    assert "[DONE]" not in events
    assert events[-1]["error"]["code"] == "stream_interrupted"
    with api.session() as session:
        exchange = session.exec(select(Exchange)).one()
    assert exchange.verdict == "error" and exchange.error_code == "stream_interrupted"


def test_blocked_prompt_is_a_400_pii_blocked(make_env, fake_upstream, blocking_guard):
    env = make_env(app_guard=blocking_guard)
    token = env.token(env.user())
    response = env.client.post("/v1/chat/completions", headers={"Authorization": f"Bearer {token}"},
                               json={"model": "fake", "messages": [{"role": "user", "content": PII_PROMPT}]})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "pii_blocked" and error["type"] == "invalid_request_error"
    # The structured field keeps the code; the message names the kind of data as people say it.
    assert error["entity_types"] == ["IBAN_CODE"] and "IBAN" in error["message"]
    assert "IBAN_CODE" not in error["message"] and "nicht gesendet" in error["message"]
    assert fake_upstream.requests == []
    assert leaked(response.text) == []
    assert leaked(dump_database(env.app.state.engine)) == []


@pytest.mark.parametrize("behaviour, model, status, code", [
    ("error_500", "fake", 502, "upstream_error"),
    ("slow", "fake-short", 504, "upstream_timeout"),
])
@pytest.mark.parametrize("stream", [False, True])
def test_upstream_failures(api, fake_upstream, behaviour, model, status, code, stream):
    fake_upstream.behaviour = behaviour
    fake_upstream.delay_seconds = 3
    response = post_chat(api, {"model": model, "stream": stream,
                               "messages": [{"role": "user", "content": "Was ist ein Bescheid?"}]})
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["type"] == "server_error" and error["message"]
    with api.session() as session:
        exchange = session.exec(select(Exchange)).one()
    assert exchange.verdict == "error" and exchange.error_code == code


def test_request_validation(api, fake_upstream):
    broken = api.client.post("/v1/chat/completions", content=b'{"model": "fake", "messages": [',
                             headers={"Content-Type": "application/json"})
    assert broken.status_code == 400 and broken.json()["error"]["code"] == "invalid_json"
    assert "JSON" in broken.json()["error"]["message"]

    missing = post_chat(api, {"model": "fake"})
    assert missing.status_code == 400 and "messages" in missing.json()["error"]["message"]

    unknown = post_chat(api, {"model": "gpt-17", "messages": [{"role": "user", "content": "Hallo"}]})
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "model_not_found"

    forbidden = post_chat(api, {"model": "fake-dpo", "messages": [{"role": "user", "content": "Hallo"}]})
    assert forbidden.status_code == 404 and forbidden.json()["error"]["code"] == "model_not_found"

    limit = api.settings.max_prompt_chars
    too_long = post_chat(api, {"model": "fake", "messages": [
        {"role": "system", "content": "x" * (limit // 2)}, {"role": "user", "content": "y" * (limit // 2 + 1)}]})
    assert too_long.status_code == 413 and too_long.json()["error"]["code"] == "prompt_too_long"
    absurd = api.client.post("/v1/chat/completions", content=b"x" * (limit * 8 + 70_000),
                             headers={"Content-Type": "application/json"})
    assert absurd.status_code == 413
    assert fake_upstream.requests == []


def test_english_messages_on_request(api):
    response = post_chat(api, {"model": "gpt-17", "messages": [{"role": "user", "content": "Hi"}]},
                         headers={"Accept-Language": "en-GB"})
    assert response.json()["error"]["message"].startswith("The selected model is not available")


def test_authentication_is_required(env):
    user = env.user()
    token = env.token(user)
    payload = {"model": "fake", "messages": [{"role": "user", "content": "Hallo"}]}
    for headers in ({}, {"Authorization": "Bearer sr-wrong"}, {"Authorization": f"Basic {token}"}):
        response = env.client.post("/v1/chat/completions", json=payload, headers=headers)
        assert response.status_code == 401 and response.json()["error"]["type"] == "authentication_error"
        assert env.client.get("/v1/models", headers=headers).status_code == 401
    assert env.client.get("/v1/models", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_token_is_stored_hashed_only(env):
    token = env.token(env.user())
    with env.session() as session:
        row = session.exec(select(ApiToken)).one()
    assert row.token_hash == hash_token(token) and len(row.token_hash) == 64
    assert token not in dump_database(env.app.state.engine)
    with env.session() as session:
        assert session.exec(select(ApiToken)).one().last_used_at is None
    env.client.get("/v1/models", headers={"Authorization": f"Bearer {token}"})
    with env.session() as session:
        assert session.exec(select(ApiToken)).one().last_used_at is not None


def test_models_are_filtered_by_role(env):
    employee, dpo = env.user("erika"), env.user("dora", role="dpo")
    def ids(user):
        body = env.client.get("/v1/models", headers={"Authorization": f"Bearer {env.token(user)}"}).json()
        assert body["object"] == "list" and all(m["object"] == "model" for m in body["data"])
        return [m["id"] for m in body["data"]]
    assert ids(employee) == ["fake", "fake-short"]
    assert ids(dpo) == ["fake", "fake-short", "fake-dpo"]


def test_guard_failure_is_a_503_and_nothing_is_sent(make_env, fake_upstream, broken_guard):
    env = make_env(app_guard=broken_guard)
    token = env.token(env.user())
    response = env.client.post("/v1/chat/completions", headers={"Authorization": f"Bearer {token}"},
                               json={"model": "fake", "messages": [{"role": "user", "content": PII_PROMPT}]})
    assert response.status_code == 503 and response.json()["error"]["code"] == "guard_unavailable"
    assert fake_upstream.requests == []
    assert leaked(dump_database(env.app.state.engine)) == []


def test_api_exchanges_open_a_conversation_per_request_unless_one_is_named(api, fake_upstream):
    from app.storage.tables import Conversation

    payload = {"model": "fake", "messages": [{"role": "user", "content": "Was ist eine Allgemeinverfügung?"}]}
    post_chat(api, payload)
    post_chat(api, payload)
    with api.session() as session:
        conversations = session.exec(select(Conversation)).all()
    assert len(conversations) == 2 and {c.channel for c in conversations} == {"api"}
    assert conversations[0].title == "Was ist eine Allgemeinverfügung?"
    post_chat(api, payload, headers={"X-Spielraum-Conversation": str(conversations[0].id)})
    with api.session() as session:
        assert len(session.exec(select(Conversation)).all()) == 2
        exchanges = session.exec(select(Exchange).where(Exchange.conversation_id == conversations[0].id)).all()
    assert len(exchanges) == 2
