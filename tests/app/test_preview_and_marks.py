"""The person's last look before sending: a preview that sends and stores nothing, and marks
for what the guard missed, which then leave as placeholders and reach the DPO as metadata."""
from __future__ import annotations

from sqlmodel import select

from app.storage.tables import Exchange, FindingRecord
from tests.app.conftest import PII_PROMPT, dump_database, leaked
from tests.app.test_pages import chat_csrf, login, stream

MISSED = "Bitte fragen Sie Mareike, ob der Bescheid für das Projekt Blaufalke raus ist."


def preview(client, csrf, prompt, marks=(), conversation_id=None, vault=None):
    return client.post("/chat/preview", json={
        "conversation_id": conversation_id, "model_id": "fake", "prompt": prompt, "vault": vault or {},
        "marks": list(marks), "csrf": csrf})


def test_the_preview_shows_what_would_be_sent_and_sends_and_stores_nothing(env, fake_upstream):
    env.user()
    login(env.client, "erika")
    csrf = chat_csrf(env.client)
    before = len(fake_upstream.requests)
    response = preview(env.client, csrf, PII_PROMPT)
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "sent" and "[PERSON_1]" in body["sent_text"] and leaked(body["sent_text"]) == []
    assert "Name" in body["legend_de"] and body["vault"]["[PERSON_1]"] == "Anna Schmidt"
    assert len(fake_upstream.requests) == before
    with env.session() as session:
        assert session.exec(select(Exchange)).all() == []
    assert leaked(dump_database(env.app.state.engine)) == []


def test_a_blocked_value_shows_in_the_preview_as_blocked(make_env, blocking_guard):
    env = make_env(app_guard=blocking_guard)
    env.user()
    login(env.client, "erika")
    body = preview(env.client, chat_csrf(env.client), "Überweisung auf DE89 3704 0044 0532 0130 00").json()
    assert body["type"] == "blocked" and body["entity_types"] == ["IBAN_CODE"]


def test_words_marked_by_the_person_leave_as_placeholders_and_are_recorded_as_marks(env, fake_upstream):
    env.user()
    login(env.client, "erika")
    csrf = chat_csrf(env.client)
    marks = [{"text": "Mareike", "entity_type": "PERSON"}, {"text": "Blaufalke", "entity_type": "CONFIDENTIAL"}]
    shown = preview(env.client, csrf, MISSED, marks).json()
    assert "Mareike" not in shown["sent_text"] and "Blaufalke" not in shown["sent_text"]

    response = stream_with_marks(env.client, csrf, MISSED, marks)
    assert response.status_code == 200
    sent = fake_upstream.requests[-1]["messages"][-1]["content"]
    assert "Mareike" not in sent and "Blaufalke" not in sent and "[PERSON_1]" in sent and "[CONFIDENTIAL_1]" in sent
    with env.session() as session:
        records = session.exec(select(FindingRecord)).all()
    marked = {(r.entity_type, r.count) for r in records if r.recognizer == "person_mark"}
    assert marked == {("PERSON", 1), ("CONFIDENTIAL", 1)}
    assert "Mareike" not in dump_database(env.app.state.engine)


def test_marks_are_checked(env):
    env.user()
    login(env.client, "erika")
    csrf = chat_csrf(env.client)
    for bad in ([{"text": "x", "entity_type": "NOT_A_TYPE"}], [{"text": "", "entity_type": "PERSON"}],
                [{"text": "a" * 201, "entity_type": "PERSON"}], [{"text": "x", "entity_type": "PERSON"}] * 21):
        assert preview(env.client, csrf, MISSED, bad).status_code == 400, bad


def test_another_users_conversation_is_not_previewed(env):
    env.user()
    login(env.client, "erika")
    csrf = chat_csrf(env.client)
    _, events = stream(env.client, csrf, "Eine erste Frage.")
    cid = events[0]["conversation_id"]
    env.client.cookies.clear()
    env.user("max")
    login(env.client, "max")
    assert preview(env.client, chat_csrf(env.client), "Und weiter?", conversation_id=cid).status_code == 404


def stream_with_marks(client, csrf, prompt, marks):
    return client.post("/chat/stream", json={"model_id": "fake", "prompt": prompt, "vault": {}, "marks": marks,
                                             "csrf": csrf}, headers={"accept": "application/x-ndjson"})
