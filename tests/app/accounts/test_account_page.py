"""The account page through the real app: password change, own API tokens, language, and the
password-first redirect for accounts whose password someone else chose."""
from __future__ import annotations

import io
import json
import logging
import re
import sys

from fastapi.testclient import TestClient
from sqlmodel import select

from app.accounts.provisioning import add_user, change_password, ensure_admin
from app.storage.tables import ApiToken, User
from tests.app.conftest import PASSWORD, dump_database
from tests.app.test_pages import HTML, csrf_from, login

NEW_PASSWORD = "Blauer-Kaffee-Becher-42"
WRONG = "Falsches-Passwort-99"


def account_csrf(client) -> str:
    page = client.get("/account", headers=HTML)
    assert page.status_code == 200, page.status_code
    return csrf_from(page.text)


def change(client, current: str, new: str, again: str | None = None):
    return client.post("/account/password", headers=HTML, follow_redirects=False, data={
        "csrf": account_csrf(client), "current_password": current, "new_password": new,
        "new_password_again": new if again is None else again})


def second_browser(env, address: str = "testclient") -> TestClient:
    client = TestClient(env.app, client=(address, 50000))
    assert login(client).status_code == 303
    return client


def opens_chat(client) -> bool:
    response = client.get("/", headers=HTML, follow_redirects=False)
    assert response.status_code in (200, 303)
    return response.status_code == 200


def password_hash(env, username: str = "erika") -> str:
    with env.session() as session:
        return session.exec(select(User).where(User.username == username)).one().password_hash


# -- password change ------------------------------------------------------------------------
def test_the_header_links_the_user_name_to_the_account_page(env):
    env.user()
    login(env.client)
    page = env.client.get("/", headers=HTML).text
    link = re.search(r'<a class="account-link" href="/account"[^>]*>(.*?)</a>', page, re.S)
    assert link and "erika" in link.group(1) and "Konto" in link.group(1)


def test_a_wrong_current_password_is_refused_and_nothing_changes(env):
    env.user()
    login(env.client)
    before = password_hash(env)
    response = change(env.client, WRONG, NEW_PASSWORD)
    assert response.status_code == 400
    assert "Das aktuelle Passwort stimmt nicht" in response.text and 'role="alert"' in response.text
    assert password_hash(env) == before


def test_a_weak_new_password_shows_the_rule_message(env):
    env.user()
    login(env.client)
    before = password_hash(env)
    response = change(env.client, PASSWORD, "Passwort2024!")
    assert response.status_code == 400
    assert "zu verbreitet" in response.text
    too_short = change(env.client, PASSWORD, "kurz")
    assert too_short.status_code == 400 and "mindestens 12 Zeichen" in too_short.text
    assert password_hash(env) == before


def test_two_different_new_passwords_are_refused(env):
    env.user()
    login(env.client)
    before = password_hash(env)
    response = change(env.client, PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x")
    assert response.status_code == 400 and "stimmen nicht überein" in response.text
    assert password_hash(env) == before


def test_the_messages_come_in_english_too(env):
    env.user()
    login(env.client)
    env.client.post("/lang", data={"lang": "en", "next": "/account"})
    response = change(env.client, WRONG, NEW_PASSWORD)
    assert response.status_code == 400 and "The current password is not correct" in response.text
    weak = change(env.client, PASSWORD, "Passwort2024!")
    assert "too common" in weak.text


def test_a_change_ends_the_other_sessions_and_keeps_this_one(env, caplog):
    env.user()
    login(env.client)
    other = second_browser(env)
    assert opens_chat(other)
    with caplog.at_level(logging.INFO, logger="spielraum.audit"):
        response = change(env.client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 303 and response.headers["location"] == "/account?done=changed"
    assert "Ihr Passwort wurde geändert" in env.client.get("/account?done=changed", headers=HTML).text
    assert opens_chat(env.client), "the browser that made the change stays signed in"
    assert not opens_chat(other), "the other browser's cookie must stop working"
    # The new password signs in, the old one no longer does.
    fresh = TestClient(env.app)
    assert login(fresh, "erika", PASSWORD).status_code == 401
    assert login(fresh, "erika", NEW_PASSWORD).status_code == 303
    # Audited by user id, never with a password.
    events = [r for r in caplog.records if r.name == "spielraum.audit"]
    changed = [r for r in events if r.getMessage() == "account.password_changed"]
    assert len(changed) == 1 and changed[0].sessions_ended == 1
    assert all(secret not in json.dumps(r.__dict__, default=str) for r in events for secret in (PASSWORD, NEW_PASSWORD))
    assert PASSWORD not in dump_database(env.app.state.engine)
    assert NEW_PASSWORD not in dump_database(env.app.state.engine)


def test_guessing_the_current_password_is_throttled_like_the_login(env):
    env.user()
    login(env.client)
    statuses = [change(env.client, f"{WRONG}{index}", NEW_PASSWORD).status_code for index in range(6)]
    assert statuses[:4] == [400] * 4 and set(statuses[4:]) == {429}
    refused = change(env.client, PASSWORD, NEW_PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert "Zu viele falsche Versuche" in refused.text
    # The same account counter as the sign-in form: the login is locked too.
    assert login(TestClient(env.app, client=("10.9.9.9", 1)), "erika", PASSWORD).status_code == 429


def test_a_missing_csrf_token_is_refused(env):
    env.user()
    login(env.client)
    response = env.client.post("/account/password", headers=HTML, follow_redirects=False, data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD})
    assert response.status_code == 403


# -- API tokens -------------------------------------------------------------------------------
def test_tokens_are_created_shown_once_listed_and_revoked(env, caplog):
    env.user()
    login(env.client)
    assert "Sie haben noch kein API-Token" in env.client.get("/account", headers=HTML).text
    with caplog.at_level(logging.INFO, logger="spielraum.audit"):
        created = env.client.post("/account/tokens", headers=HTML, data={
            "csrf": account_csrf(env.client), "name": "Skript Posteingang"})
    assert created.status_code == 200
    token = re.search(r'id="new-token" type="text" readonly value="(sr-[^"]+)"', created.text).group(1)
    assert "nur dieses eine Mal angezeigt" in created.text and 'id="copy-token"' in created.text

    # The token works at the API and the list shows its name and last use, never the token.
    assert env.client.get("/v1/models", headers={"authorization": f"Bearer {token}"}).status_code == 200
    listed = env.client.get("/account", headers=HTML).text
    assert token not in listed
    assert "Skript Posteingang" in listed and "noch nie" not in listed
    assert token not in dump_database(env.app.state.engine)
    assert not any(token in json.dumps(r.__dict__, default=str) for r in caplog.records)

    with env.session() as session:
        token_id = session.exec(select(ApiToken.id)).one()
    revoked = env.client.post(f"/account/tokens/{token_id}/revoke", headers=HTML, follow_redirects=False,
                              data={"csrf": account_csrf(env.client)})
    assert revoked.status_code == 303
    assert "widerrufen" in env.client.get(revoked.headers["location"], headers=HTML).text
    assert env.client.get("/v1/models", headers={"authorization": f"Bearer {token}"}).status_code == 401
    assert "Sie haben noch kein API-Token" in env.client.get("/account", headers=HTML).text


def test_someone_elses_token_cannot_be_seen_or_revoked(env):
    env.user()
    other_token = env.token(env.user("max"))
    login(env.client)
    assert "Sie haben noch kein API-Token" in env.client.get("/account", headers=HTML).text
    with env.session() as session:
        token_id = session.exec(select(ApiToken.id)).one()
    response = env.client.post(f"/account/tokens/{token_id}/revoke", headers=HTML, follow_redirects=False,
                               data={"csrf": account_csrf(env.client)})
    assert response.status_code == 404
    assert env.client.get("/v1/models", headers={"authorization": f"Bearer {other_token}"}).status_code == 200


# -- language ---------------------------------------------------------------------------------
def test_the_language_form_switches_the_interface(env):
    env.user()
    login(env.client)
    page = env.client.get("/account", headers=HTML).text
    assert 'action="/lang"' in page and 'name="next" value="/account"' in page
    switched = env.client.post("/lang", data={"lang": "en", "next": "/account"}, headers=HTML)
    assert switched.status_code == 200 and "Your account" in switched.text and 'lang="en"' in switched.text


# -- a password someone else chose -------------------------------------------------------------
def test_generated_passwords_are_flagged_chosen_ones_are_not(env):
    engine = env.app.state.engine
    generated = add_user(engine, "gerd", "employee", None)
    add_user(engine, "chosen", "employee", NEW_PASSWORD)
    with env.session() as session:
        flags = {u.username: u.must_change_password for u in session.exec(select(User))}
    assert generated and flags == {"gerd": True, "chosen": False}
    change_password(engine, "chosen", NEW_PASSWORD, must_change=True)  # `spielraum user password`
    with env.session() as session:
        assert session.exec(select(User).where(User.username == "chosen")).one().must_change_password


def test_the_first_admin_is_flagged_only_with_a_generated_password(tmp_path):
    from sqlalchemy import create_engine
    from sqlmodel import Session

    from app.settings import Settings
    from app.storage.schema import upgrade_database

    for name, admin_password, flagged in (("gen", "", True), ("set", NEW_PASSWORD, False)):
        engine = create_engine(f"sqlite:///{tmp_path}/{name}.db")
        upgrade_database(engine)
        settings = Settings(data_dir=tmp_path / name, secret_key="x", admin_password=admin_password)
        assert (ensure_admin(engine, settings) is not None) == flagged
        with Session(engine) as session:
            assert session.exec(select(User)).one().must_change_password is flagged
        engine.dispose()


def test_a_flagged_user_goes_to_the_account_page_until_the_password_is_changed(make_env):
    env = make_env(first_steps_on_login=True)
    generated = add_user(env.app.state.engine, "gerd", "employee", None)
    assert login(env.client, "gerd", generated).status_code == 303
    for path in ("/", "/learning/library", "/learning/basics"):
        response = env.client.get(path, headers=HTML, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/account?first=1", path
    page = env.client.get("/account?first=1", headers=HTML).text
    assert "Bitte wählen Sie jetzt ein eigenes Passwort" in page
    assert 'id="tokens-section"' not in page, "no tokens before the password is the user's own"
    # The chat stream is refused too (the lead's UI posts there).
    stream = env.client.post("/chat/stream", json={"model_id": "fake", "prompt": "Hallo", "csrf": account_csrf(env.client)},
                             headers={"accept": "application/x-ndjson"})
    assert stream.status_code == 403 and stream.json()["error"]["code"] == "password_change_required"
    # A token cannot be made either.
    made = env.client.post("/account/tokens", headers=HTML, data={"csrf": account_csrf(env.client), "name": "x"})
    assert made.status_code == 403
    with env.session() as session:
        assert session.exec(select(ApiToken)).first() is None

    # The change leads on: first the Grundlagen, then the chat.
    changed = change(env.client, generated, NEW_PASSWORD)
    assert changed.status_code == 303 and changed.headers["location"] == "/"
    home = env.client.get("/", headers=HTML, follow_redirects=False)
    assert home.status_code == 303 and home.headers["location"].startswith("/learning/basics")
    with env.session() as session:
        assert not session.exec(select(User).where(User.username == "gerd")).one().must_change_password


def test_a_password_reset_by_the_admin_is_asked_for_again_at_next_sign_in(env):
    env.user()
    login(env.client)
    assert opens_chat(env.client)
    change_password(env.app.state.engine, "erika", NEW_PASSWORD, must_change=True)
    assert login(env.client, "erika", NEW_PASSWORD).status_code == 303
    response = env.client.get("/", headers=HTML, follow_redirects=False)
    assert response.headers["location"] == "/account?first=1"


def test_the_cli_flags_a_reset_password(env, monkeypatch, capsys):
    from app import cli

    env.user()
    monkeypatch.setenv("SPIELRAUM_DATA_DIR", str(env.settings.data_dir))
    monkeypatch.setenv("SPIELRAUM_DATABASE_URL", str(env.app.state.engine.url))
    monkeypatch.setattr(sys, "stdin", io.StringIO(NEW_PASSWORD + "\n"))
    assert cli.main(["user", "password", "erika", "--password-stdin"]) == 0
    assert "must choose a new one" in capsys.readouterr().out
    with env.session() as session:
        assert session.exec(select(User).where(User.username == "erika")).one().must_change_password
