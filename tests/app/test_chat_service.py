"""The web chat's service: guard first, only placeholders upstream, originals only for the user."""
from __future__ import annotations

import pytest
from sqlmodel import select

from app.chat.web_service import ChatTurn
from app.storage.tables import Conversation, Exchange, FindingRecord
from tests.app.conftest import PII_PROMPT, RESTORED_VALUES, collect_turn, dump_database, leaked


def run_turn(env, turn: ChatTurn) -> list[dict]:
    return collect_turn(env.app, turn)


def answer_of(events: list[dict]) -> str:
    return "".join(e["text"] for e in events if e["type"] == "delta")


def test_personal_data_never_leaves_and_the_answer_is_restored(env, fake_upstream):
    user = env.user()
    events = run_turn(env, ChatTurn(user=user, model_id="fake", prompt=PII_PROMPT))

    assert [e["type"] for e in events][0] == "sent", events
    assert events[-1]["type"] == "done", events
    sent = events[0]
    assert leaked(fake_upstream.all_text()) == []
    assert leaked(sent["sent_text"]) == []
    assert sent["sent_text"] in fake_upstream.all_text()
    answer = answer_of(events)
    for value in RESTORED_VALUES:
        assert value in answer
    assert sent["summary"].get("PERSON", 0) >= 2 and sent["summary"].get("IBAN_CODE") == 1
    assert sent["legend_de"].endswith("wurden ersetzt")
    assert set(sent["vault"].values()) >= {"Anna Schmidt", "DE89 3704 0044 0532 0130 00"}
    assert leaked(dump_database(env.app.state.engine)) == []


def test_exchange_is_stored_pseudonymised_with_aggregated_findings(env, fake_upstream):
    user = env.user()
    events = run_turn(env, ChatTurn(user=user, model_id="fake", prompt=PII_PROMPT))
    sent, done = events[0], events[-1]
    with env.session() as session:
        exchange = session.get(Exchange, done["exchange_id"])
        conversation = session.get(Conversation, sent["conversation_id"])
        findings = session.exec(select(FindingRecord).where(FindingRecord.exchange_id == exchange.id)).all()
    assert exchange.verdict == "sent" and exchange.channel == "web" and exchange.error_code is None
    assert exchange.prompt_pseudonymised == sent["sent_text"]
    assert exchange.answer_pseudonymised == "Echo: " + sent["sent_text"]
    assert exchange.completion_tokens > 0 and exchange.guard_ms > 0 and exchange.upstream_ms > 0
    title = conversation.title.removesuffix(" …")
    assert 10 < len(title) <= 120 and sent["sent_text"].startswith(title) and leaked(title) == []
    by_type = {f.entity_type: f for f in findings}
    assert by_type["IBAN_CODE"].count == 1 and by_type["IBAN_CODE"].action == "pseudonymize"
    assert by_type["PERSON"].count >= 2 and 0 < by_type["PERSON"].max_score <= 1 and by_type["PERSON"].recognizer


def test_follow_up_sends_history_and_keeps_placeholders_stable(env, fake_upstream):
    user = env.user()
    first = run_turn(env, ChatTurn(user=user, model_id="fake", prompt=PII_PROMPT))
    conversation_id, vault = first[0]["conversation_id"], first[0]["vault"]
    fake_upstream.reset()
    second = run_turn(env, ChatTurn(user=user, model_id="fake", conversation_id=conversation_id, vault=vault,
                                    prompt="Und schreiben Sie bitte auch an Anna Schmidt eine Erinnerung."))
    assert second[-1]["type"] == "done", second
    body = fake_upstream.requests[-1]
    roles = [m["role"] for m in body["messages"]]
    assert roles == ["user", "assistant", "user"]
    name_placeholder = next(p for p, v in vault.items() if v == "Anna Schmidt")
    assert name_placeholder in body["messages"][2]["content"]
    assert body["messages"][0]["content"] == first[0]["sent_text"]
    assert leaked(fake_upstream.all_text()) == []
    assert "Anna Schmidt" in answer_of(second)


def test_conversation_of_another_user_is_not_found(env):
    owner, other = env.user("owner"), env.user("other")
    first = run_turn(env, ChatTurn(user=owner, model_id="fake", prompt="Wie schreibe ich einen Vermerk?"))
    events = run_turn(env, ChatTurn(user=other, model_id="fake", prompt="Hallo",
                                    conversation_id=first[0]["conversation_id"]))
    assert len(events) == 1 and events[0]["code"] == "conversation_not_found"


def test_split_placeholders_are_restored_in_the_stream(env, fake_upstream):
    user = env.user()
    fake_upstream.behaviour = "split_placeholder"
    fake_upstream.chunk_pause_seconds = 0.05  # every cut placeholder arrives in two network reads
    prompt = "Frau Anna Schmidt hat die IBAN DE89 3704 0044 0532 0130 00 angegeben."
    events = run_turn(env, ChatTurn(user=user, model_id="fake", prompt=prompt))
    vault = events[0]["vault"]
    person = next(p for p, v in vault.items() if v == "Anna Schmidt")
    iban = next(p for p, v in vault.items() if v.startswith("DE89"))
    # The fake's default reply is written with [PERSON_1] and [IBAN_CODE_1].
    assert {person, iban} == {"[PERSON_1]", "[IBAN_CODE_1]"}
    deltas = [e["text"] for e in events if e["type"] == "delta"]
    assert len(deltas) > 1
    assert answer_of(events) == "Sehr geehrte Frau Anna Schmidt, Ihre IBAN DE89 3704 0044 0532 0130 00 ist vermerkt."
    assert all("[" not in d and "]" not in d for d in deltas)


def test_blocked_prompt_sends_nothing_and_stores_no_values(make_env, fake_upstream, tmp_path, blocking_guard):
    env = make_env(app_guard=blocking_guard)
    user = env.user()
    events = run_turn(env, ChatTurn(user=user, model_id="fake", prompt=PII_PROMPT))
    assert [e["type"] for e in events] == ["blocked"]
    assert events[0]["entity_types"] == ["IBAN_CODE"]
    assert "IBAN" in events[0]["message_de"] and "nicht gesendet" in events[0]["message_de"]
    assert fake_upstream.requests == []
    with env.session() as session:
        exchange = session.exec(select(Exchange)).one()
    assert exchange.verdict == "blocked" and exchange.error_code == "pii_blocked"
    assert exchange.prompt_pseudonymised == ""
    assert leaked(dump_database(env.app.state.engine)) == []


@pytest.mark.parametrize("behaviour, model, code, words", [
    ("error_500", "fake", "upstream_error", "nicht erreichbar"),
    ("slow", "fake-short", "upstream_timeout", "nicht rechtzeitig"),
    ("broken_stream", "fake", "stream_interrupted", "unterbrochen"),
])
def test_upstream_failures_give_a_clear_message_and_are_stored(env, fake_upstream, behaviour, model, code, words):
    user = env.user()
    fake_upstream.behaviour = behaviour
    fake_upstream.delay_seconds = 3
    events = run_turn(env, ChatTurn(user=user, model_id=model, prompt="Was ist ein Verwaltungsakt?"))
    assert events[0]["type"] == "sent"
    error = events[-1]
    assert error["type"] == "error" and error["code"] == code and words in error["message_de"], events
    with env.session() as session:
        exchange = session.get(Exchange, events[0]["exchange_id"])
    assert exchange.verdict == "error" and exchange.error_code == code


def test_unknown_or_forbidden_model_and_too_long_prompt(env, fake_upstream):
    user = env.user()
    assert run_turn(env, ChatTurn(user=user, model_id="nope", prompt="Hallo"))[0]["code"] == "model_not_found"
    assert run_turn(env, ChatTurn(user=user, model_id="fake-dpo", prompt="Hallo"))[0]["code"] == "model_not_found"
    dpo = env.user("dora", role="dpo")
    assert run_turn(env, ChatTurn(user=dpo, model_id="fake-dpo", prompt="Hallo"))[-1]["type"] == "done"
    too_long = "a" * (env.settings.max_prompt_chars + 1)
    event = run_turn(env, ChatTurn(user=user, model_id="fake", prompt=too_long))[0]
    assert event["code"] == "prompt_too_long" and "zu lang" in event["message_de"]
    assert len(fake_upstream.requests) == 1  # only the DPO's prompt went out


def test_guard_failure_sends_nothing_and_tells_the_user(make_env, fake_upstream, broken_guard):
    env = make_env(app_guard=broken_guard)
    user = env.user()
    events = run_turn(env, ChatTurn(user=user, model_id="fake", prompt=PII_PROMPT))
    assert [e["type"] for e in events] == ["error"]
    assert events[0]["code"] == "guard_unavailable"
    assert "nichts an das Sprachmodell gesendet" in events[0]["message_de"]
    assert fake_upstream.requests == []
    with env.session() as session:
        exchange = session.exec(select(Exchange)).one()
    assert exchange.verdict == "error" and exchange.error_code == "guard_unavailable"
    assert leaked(dump_database(env.app.state.engine)) == []


def test_lost_vault_does_not_reuse_placeholders_of_the_history(env, fake_upstream):
    user = env.user()
    first = run_turn(env, ChatTurn(user=user, model_id="fake", prompt="Schreiben Sie an Frau Anna Schmidt."))
    assert first[0]["vault"] == {"[PERSON_1]": "Anna Schmidt"}
    # Another browser: same conversation, no vault.
    second = run_turn(env, ChatTurn(user=user, model_id="fake", conversation_id=first[0]["conversation_id"],
                                    prompt="Und jetzt an Herrn Bernd Krüger."))
    assert second[0]["vault"] == {"[PERSON_2]": "Bernd Krüger"}
    assert "[PERSON_2]" in second[0]["sent_text"]
    answer = answer_of(second)
    assert "Bernd Krüger" in answer


def test_browser_leaving_mid_answer_is_recorded(env, fake_upstream):
    from tests.app.conftest import run_async

    user = env.user()
    service = env.app.state.chat_service

    async def leave_after_first_delta() -> int:
        events = service.stream_turn(ChatTurn(user=user, model_id="fake",
                                              prompt="Erklären Sie bitte ausführlich das Widerspruchsverfahren."))
        exchange_id = None
        async for event in events:
            if event["type"] == "sent":
                exchange_id = event["exchange_id"]
            if event["type"] == "delta":
                break
        await events.aclose()
        return exchange_id

    exchange_id = run_async(leave_after_first_delta)
    with env.session() as session:
        exchange = session.get(Exchange, exchange_id)
    assert exchange.verdict == "error" and exchange.error_code == "client_disconnected"
