"""The server side of the web pages: login, language, chat page, conversation page, stream.

Real app, real guard, real SQLite, a FakeUpstream over real HTTP (fixtures in conftest.py);
only the browser is replaced by Starlette's TestClient. The browser tests cover the
script; these cover what the server sends and refuses.
"""
from __future__ import annotations

import json
import re

import pytest

from tests.app.conftest import PASSWORD, leaked

CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')
HTML = {"accept": "text/html"}


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF field"
    return match.group(1)


def login(client, username: str = "erika", password: str = PASSWORD):
    token = csrf_from(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password, "csrf": token},
                       headers=HTML, follow_redirects=False)


def chat_csrf(client) -> str:
    page = client.get("/", headers=HTML)
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
    assert match
    return match.group(1)


def stream(client, csrf: str, prompt: str, *, conversation_id=None, vault=None, model_id="fake"):
    response = client.post("/chat/stream", json={
        "conversation_id": conversation_id, "model_id": model_id, "prompt": prompt,
        "vault": vault or {}, "csrf": csrf}, headers={"accept": "application/x-ndjson"})
    events = [json.loads(line) for line in response.text.splitlines() if line.strip()]
    return response, events


# -- login and logout ------------------------------------------------------------------
def test_chat_page_sends_a_signed_out_browser_to_login(env):
    response = env.client.get("/", headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


def test_login_page_is_german_with_labels_and_csrf(env):
    page = env.client.get("/login")
    assert page.status_code == 200
    assert '<html lang="de">' in page.text
    assert '<label for="username">Benutzername</label>' in page.text
    assert '<label for="password">Passwort</label>' in page.text
    assert csrf_from(page.text)
    assert "https://" not in page.text.split("<body>")[0], "no CDN assets in the head"


def test_login_without_csrf_token_is_refused(env):
    env.user("erika")
    response = env.client.post("/login", data={"username": "erika", "password": PASSWORD},
                               headers=HTML, follow_redirects=False)
    assert response.status_code == 403
    assert env.client.get("/", headers=HTML, follow_redirects=False).status_code == 303


def test_failed_login_says_the_same_for_wrong_password_and_unknown_user(env):
    env.user("erika")
    wrong_password = login(env.client, "erika", "falsch-falsch")
    unknown_user = login(env.client, "niemand", PASSWORD)
    assert wrong_password.status_code == unknown_user.status_code == 401
    message = "Anmeldung fehlgeschlagen. Bitte prüfen Sie Benutzername und Passwort."
    assert message in wrong_password.text and message in unknown_user.text


def test_login_then_logout(env):
    env.user("erika")
    response = login(env.client)
    assert response.status_code == 303 and response.headers["location"] == "/"
    page = env.client.get("/", headers=HTML)
    assert page.status_code == 200 and "Neue Unterhaltung" in page.text
    response = env.client.post("/logout", data={"csrf": csrf_from(page.text)}, headers=HTML,
                               follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert env.client.get("/", headers=HTML, follow_redirects=False).status_code == 303


# -- language --------------------------------------------------------------------------
def test_language_switch_survives_logout_and_refuses_foreign_redirects(env):
    env.user("erika")
    login(env.client)
    response = env.client.post("/lang", data={"lang": "en", "next": "//evil.example/x"},
                               follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    page = env.client.get("/", headers=HTML)
    assert '<html lang="en">' in page.text and "Your message" in page.text
    env.client.post("/logout", data={"csrf": csrf_from(page.text)}, headers=HTML)
    assert "Sign in" in env.client.get("/login").text


# -- chat page -------------------------------------------------------------------------
def test_chat_page_offers_only_the_models_of_the_role(env):
    env.user("erika")
    login(env.client)
    page = env.client.get("/", headers=HTML).text
    assert 'value="fake"' in page and 'value="fake-dpo"' not in page
    assert "Ein geschützter Raum zum Ausprobieren" in page
    assert 'href="/about"' in page


def test_chat_page_explains_an_empty_catalogue(make_env):
    env = make_env(models=False)
    env.user("erika")
    login(env.client)
    page = env.client.get("/", headers=HTML).text
    assert 'id="empty-catalogue"' in page
    assert "Derzeit ist kein Modell für Sie freigegeben" in page
    assert 'id="prompt"' not in page


def test_about_page_is_public(env):
    page = env.client.get("/about")
    assert page.status_code == 200
    assert "Nur der pseudonymisierte Text geht an das Sprachmodell" in page.text


# -- the stream ------------------------------------------------------------------------
def test_stream_refuses_a_request_without_csrf_token(env, fake_upstream):
    env.user("erika")
    login(env.client)
    response, _ = stream(env.client, "", "Hallo")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    assert fake_upstream.requests == []


def test_stream_sends_placeholders_and_the_page_shows_only_stored_pseudonymised_text(env, fake_upstream):
    env.user("erika")
    login(env.client)
    csrf = chat_csrf(env.client)
    prompt = "Bitte schreiben Sie Frau Anna Schmidt wegen der IBAN DE89 3704 0044 0532 0130 00."
    response, events = stream(env.client, csrf, prompt)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    kinds = [event["type"] for event in events]
    assert kinds[0] == "sent" and kinds[-1] == "done" and "delta" in kinds
    sent = events[0]
    assert "[PERSON_1]" in sent["sent_text"] and "[IBAN_CODE_1]" in sent["sent_text"]
    assert sent["vault"]["[PERSON_1]"] == "Anna Schmidt"
    answer = "".join(event["text"] for event in events if event["type"] == "delta")
    assert "Anna Schmidt" in answer
    assert leaked(fake_upstream.all_text()) == []

    conversation = env.client.get(f"/c/{sent['conversation_id']}", headers=HTML)
    assert conversation.status_code == 200
    assert leaked(conversation.text) == []
    assert '<mark class="ph">[PERSON_1]</mark>' in conversation.text


def test_vault_sent_back_keeps_the_placeholder_of_a_known_name(env, fake_upstream):
    env.user("erika")
    login(env.client)
    csrf = chat_csrf(env.client)
    _, first = stream(env.client, csrf, "Bitte schreiben Sie an Frau Anna Schmidt.")
    sent = first[0]
    _, second = stream(env.client, csrf, "Und noch ein Satz an Herrn Bernd Krüger und Frau Anna Schmidt.",
                       conversation_id=sent["conversation_id"], vault=sent["vault"])
    assert second[0]["type"] == "sent"
    assert "Frau [PERSON_1]" in second[0]["sent_text"]
    assert "Herrn [PERSON_2]" in second[0]["sent_text"]
    assert leaked(fake_upstream.all_text()) == []


def test_someone_elses_conversation_is_not_found(env):
    env.user("erika")
    env.user("otto")
    login(env.client)
    _, events = stream(env.client, chat_csrf(env.client), "Wie schreibe ich einen Vermerk?")
    conversation_id = events[0]["conversation_id"]

    env.client.cookies.clear()
    login(env.client, "otto")
    assert env.client.get(f"/c/{conversation_id}", headers=HTML).status_code == 404
    _, events = stream(env.client, chat_csrf(env.client), "Hallo", conversation_id=conversation_id)
    assert events[0]["type"] == "error"


def test_stored_markup_is_escaped_on_the_conversation_page(env, fake_upstream):
    env.user("erika")
    login(env.client)
    fake_upstream.behaviour = "reply"
    fake_upstream.reply_text = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    _, events = stream(env.client, chat_csrf(env.client), "Bitte antworten Sie.")
    page = env.client.get(f"/c/{events[0]['conversation_id']}", headers=HTML).text
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("text, expected", [
    ("An [PERSON_1] und [PERSON_2], IBAN [IBAN_CODE_1], wieder [PERSON_1].", {"PERSON": 2, "IBAN_CODE": 1}),
    ("Nichts Persönliches.", {}),
])
def test_placeholder_summary_counts_distinct_placeholders(text, expected):
    from app.chat.pages import placeholder_summary

    assert placeholder_summary(text) == expected


def test_placeholder_parts_split_text_and_placeholders():
    from app.rendering import placeholder_parts

    assert placeholder_parts("Frau [PERSON_1]!") == [
        {"text": "Frau ", "placeholder": False, "label": None},
        {"text": "[PERSON_1]", "placeholder": True, "label": None},
        {"text": "!", "placeholder": False, "label": None}]
    # With a language, each placeholder is explained in words, not by its colour alone.
    labelled = placeholder_parts("[PERSON_1] zahlt auf [IBAN_CODE_1].", "de")
    assert [p["label"] for p in labelled if p["placeholder"]] == ["Name", "IBAN"]


@pytest.mark.parametrize("target, expected", [
    ("/c/12", "/c/12"), ("/about", "/about"), ("//evil.example", "/"), ("/\t/evil.example", "/"),
    ("/\\evil.example", "/"), ("https://evil.example/", "/"), ("javascript:alert(1)", "/"), ("", "/"),
])
def test_language_switch_returns_only_to_local_paths(target, expected):
    from app.accounts.routes import _safe_next

    assert _safe_next(target) == expected


def test_pages_carry_a_strict_content_security_policy(env):
    policy = env.client.get("/login").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
    assert "unsafe-inline" not in policy
