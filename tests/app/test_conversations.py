"""The person's conversation list on the server: paging, search, rename, delete, withdraw.

Real app, real guard, real SQLite and a FakeUpstream (fixtures in conftest.py).
"""
from __future__ import annotations

import logging
import re

from sqlmodel import select

from app.storage.tables import AuditEntry, Conversation, Exchange, FindingRecord
from tests.app.conftest import dump_database
from tests.app.test_pages import HTML, chat_csrf, login, stream

JSON = {"accept": "application/json"}


def start(env, prompt: str) -> tuple[str, int, dict]:
    csrf = chat_csrf(env.client)
    _, events = stream(env.client, csrf, prompt)
    sent = next(e for e in events if e["type"] == "sent")
    return csrf, sent["conversation_id"], sent


def test_rename_pseudonymises_the_title_with_the_conversation_placeholders(env):
    env.user("erika")
    login(env.client)
    csrf, cid, sent = start(env, "Brief an Frau Anna Schneider wegen der Mahnung.")
    assert sent["vault"] == {"[PERSON_1]": "Anna Schneider"}
    # The browser sends its mapping along, so the same person keeps her placeholder ...
    response = env.client.post(f"/c/{cid}/rename", headers=JSON, data={
        "csrf": csrf, "title": "Mahnung Anna Schneider und Herr Peter Müller",
        "vault": '{"[PERSON_1]": "Anna Schneider"}'})
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Mahnung [PERSON_1] und Herr [PERSON_2]"
    assert body["vault"]["[PERSON_2]"] == "Peter Müller"
    # ... and without the mapping a new name never takes a placeholder already in use.
    response = env.client.post(f"/c/{cid}/rename", headers=JSON,
                               data={"csrf": csrf, "title": "Akte Peter Müller"})
    assert response.json()["title"] == "Akte [PERSON_2]"
    dump = dump_database(env.app.state.engine)
    assert "Schneider" not in dump and "Müller" not in dump


def test_rename_refuses_empty_titles_foreign_conversations_and_missing_csrf(env):
    env.user("erika")
    env.user("max")
    login(env.client)
    csrf, cid, _ = start(env, "Was ist ein Verwaltungsakt?")
    assert env.client.post(f"/c/{cid}/rename", headers=JSON, data={"csrf": csrf, "title": "  "}).status_code == 400
    assert env.client.post(f"/c/{cid}/rename", headers=JSON, data={"title": "x"}).status_code == 403
    assert env.client.post(f"/c/{cid}/rename", headers=JSON,
                           data={"csrf": csrf, "title": "x" * 201}).status_code == 400
    env.client.post("/logout", data={"csrf": csrf}, headers=HTML)
    login(env.client, "max")
    other = chat_csrf(env.client)
    assert env.client.post(f"/c/{cid}/rename", headers=JSON, data={"csrf": other, "title": "meins"}).status_code == 404
    assert env.client.post(f"/c/{cid}/delete", headers=JSON, data={"csrf": other}).status_code == 404


def test_delete_removes_the_conversation_its_exchanges_and_findings_and_logs_without_content(env, caplog):
    env.user("erika")
    login(env.client)
    csrf, cid, _ = start(env, "Bitte an Frau Anna Schneider, IBAN DE89 3704 0044 0532 0130 00.")
    stream(env.client, csrf, "Und noch einmal kürzer.", conversation_id=cid)
    _, keep, _ = start(env, "Eine andere Frage zur Gebührenordnung.")
    with env.session() as session:
        ids = [e.id for e in session.exec(select(Exchange).where(Exchange.conversation_id == cid))]
        assert len(ids) == 2
        assert session.exec(select(FindingRecord).where(FindingRecord.exchange_id.in_(ids))).all()

    with caplog.at_level(logging.INFO, logger="spielraum.audit"):
        response = env.client.post(f"/c/{cid}/delete", headers=JSON, data={"csrf": csrf})
    assert response.status_code == 200 and response.json() == {"deleted": cid, "exchanges": 2}

    with env.session() as session:
        assert session.get(Conversation, cid) is None
        assert not session.exec(select(Exchange).where(Exchange.conversation_id == cid)).all()
        assert not session.exec(select(FindingRecord).where(FindingRecord.exchange_id.in_(ids))).all()
        assert session.get(Conversation, keep) is not None
    records = [r for r in caplog.records if r.name == "spielraum.audit"]
    assert [(r.msg, r.user_id, r.conversation_id, r.exchanges) for r in records] == [
        ("conversation.deleted", 1, cid, 2)]
    assert "PERSON" not in records[0].getMessage() and not hasattr(records[0], "title")
    # The DPO's audit log has the deletion too: who (a pseudonymous reference), what, how much.
    with env.session() as session:
        entries = session.exec(select(AuditEntry).where(AuditEntry.action == "conversation_deleted")).all()
    assert [(e.target, e.actor.startswith("U-"), e.actor_role) for e in entries] == [
        (f"conversation:{cid}", True, "employee")]
    assert "Schneider" not in entries[0].detail and '"exchanges": 2' in entries[0].detail
    assert env.client.get(f"/c/{cid}", headers=HTML).status_code == 404
    # The form also works without JavaScript.
    response = env.client.post(f"/c/{keep}/delete", headers=HTML, data={"csrf": csrf}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_search_finds_titles_and_pseudonymised_text_and_pages(env):
    env.user("erika")
    login(env.client)
    csrf, first, _ = start(env, "Gebührenbescheid für Frau Anna Schneider erklären.")
    for number in range(32):
        stream(env.client, csrf, f"Frage Nummer {number} zum Haushalt.")
    page = env.client.get("/", headers=HTML).text
    assert page.count('class="conversation-item"') == 30
    assert 'href="/?page=2"' in page
    page2 = env.client.get("/?page=2", headers=HTML).text
    assert page2.count('class="conversation-item"') == 3 and f'href="/c/{first}"' in page2
    assert 'href="/"' in page2

    found = env.client.get("/?q=gebührenbescheid", headers=HTML).text
    assert re.findall(r'<li class="conversation-item" data-conversation-id="(\d+)"', found) == [str(first)]
    # Placeholders are searchable, the original name is not stored and so not found.
    assert f'data-conversation-id="{first}"' in env.client.get("/?q=PERSON_1", headers=HTML).text
    assert "Keine Unterhaltung gefunden." in env.client.get("/?q=Schneider", headers=HTML).text
    # LIKE wildcards are taken literally.
    assert "Keine Unterhaltung gefunden." in env.client.get("/?q=%25_%25", headers=HTML).text


def test_conversations_made_through_the_api_appear_in_the_list(env):
    user = env.user("erika")
    token = env.token(user)
    response = env.client.post("/v1/chat/completions", headers={"authorization": f"Bearer {token}"},
                               json={"model": "fake", "messages": [{"role": "user", "content": "API-Frage zur Satzung"}]})
    assert response.status_code == 200
    login(env.client)
    page = env.client.get("/", headers=HTML).text
    assert "API-Frage zur Satzung" in page and '<span class="badge">API</span>' in page


def test_withdraw_only_the_last_exchange(env):
    env.user("erika")
    login(env.client)
    csrf, cid, sent = start(env, "Erste Frage.")
    _, events = stream(env.client, csrf, "Zweite Frage.", conversation_id=cid)
    second = next(e for e in events if e["type"] == "sent")["exchange_id"]
    headers = {**JSON, "x-csrf-token": csrf}
    assert env.client.post(f"/c/{cid}/exchanges/{sent['exchange_id']}/withdraw", headers=headers).status_code == 400
    assert env.client.post(f"/c/{cid}/exchanges/{second}/withdraw", headers=JSON).status_code == 403
    assert env.client.post(f"/c/{cid}/exchanges/{second}/withdraw", headers=headers).status_code == 200
    with env.session() as session:
        assert [e.id for e in session.exec(select(Exchange).where(Exchange.conversation_id == cid))] == [
            sent["exchange_id"]]
