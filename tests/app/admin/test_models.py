"""The Models section: models IT adds in the browser are offered, restricted, limited, tested
and switched off through the real chat flow and the real API, with the fake model over HTTP."""
from __future__ import annotations

import json
import re
import logging

import pytest
from sqlmodel import select

from app.storage.tables import AuditEntry, ModelEntry
from tests.app.admin.models_support import (
    KEY, add_model, admin_csrf, admin_post, chat, entry_id, offered_models, selected_model, sign_in,
)
from tests.app.conftest import dump_database
from tests.app.test_postgres_storage import SERVER as PG_SERVER, pg_schema  # noqa: F401 - a fixture
from tests.app.test_pages import HTML


class _Logged:
    def __init__(self, row: AuditEntry) -> None:
        self.action, self.target, self.actor = row.action, row.target, row.actor
        self.raw = row.detail
        self.detail = json.loads(row.detail)


def _audit(env, prefix: str) -> list[_Logged]:
    with env.session() as session:
        rows = session.exec(select(AuditEntry).where(AuditEntry.action.startswith(prefix))
                            .order_by(AuditEntry.id)).all()
        return [_Logged(row) for row in rows]


def _api(env, user_name: str, role: str = "employee"):
    with env.session() as session:
        from app.storage import crud
        user = crud.get_user_by_username(session, user_name)
        if user is None:
            session.close()
            user = env.user(user_name, role=role)
        else:
            session.expunge(user)
    return {"authorization": f"Bearer {env.token(user)}"}


def _completion(env, headers, model: str):
    return env.client.post("/v1/chat/completions", headers=headers, json={
        "model": model, "messages": [{"role": "user", "content": "Bitte fassen Sie kurz zusammen: Hallo."}]})


# -- adding a model and chatting with it -------------------------------------------------------
def test_a_model_added_in_the_browser_answers_an_employee_with_the_sealed_key(env, fake_upstream, caplog):
    caplog.set_level(logging.DEBUG)
    response = add_model(env, fake_upstream.base_url)
    assert response.status_code == 303 and response.headers["location"] == "/admin/models?done=created"
    listing = env.client.get(response.headers["location"], headers=HTML).text
    assert "Das Modell wurde angelegt." in listing and "Neues Modell" in listing and "im Browser angelegt" in listing

    events = chat(env, "erika", "Bitte fassen Sie kurz zusammen: Hallo.", "neu")
    assert events[-1]["type"] == "done", events
    sent = fake_upstream.requests[-1]
    assert sent.headers["authorization"] == f"Bearer {KEY}"  # opened at call time, sent only upstream
    assert sent["max_tokens"] == 200 and sent["temperature"] == 0.5

    # Sealed at rest, never shown again, never in the audit log or the logs.
    with env.session() as session:
        row = session.exec(select(ModelEntry).where(ModelEntry.model_id == "neu")).one()
    assert row.api_key_encrypted and KEY not in row.api_key_encrypted
    assert KEY not in dump_database(env.app.state.engine)
    sign_in(env, "ida", "admin")
    edit = env.client.get(f"/admin/models/{row.id}/edit", headers=HTML).text
    assert "Ein Schlüssel ist hinterlegt" in edit and KEY not in edit and row.api_key_encrypted not in edit
    created = _audit(env, "config.models.create")[-1]
    assert created.detail["after"]["api_key_encrypted"] == "(gesetzt)"
    assert KEY not in json.dumps(created.detail) and row.api_key_encrypted not in json.dumps(created.detail)
    assert KEY not in caplog.text and row.api_key_encrypted not in caplog.text
    spec = env.app.state.models.catalogue().get("neu")
    assert KEY not in repr(spec) and KEY not in spec.model_dump_json()


def test_the_key_is_kept_replaced_and_removed_through_the_form(env, fake_upstream):
    add_model(env, fake_upstream.base_url)
    ident = entry_id(env, "neu")
    form = {"display_name": "Neues Modell", "litellm_model": "openai/fake-model", "api_base": fake_upstream.base_url,
            "timeout_seconds": "20", "enabled": "1"}
    # An empty key field keeps the stored key.
    assert admin_post(env, f"/admin/models/{ident}/edit", key_mode="stored", api_key="", **form).status_code == 303
    chat(env, "erika", "Erste Frage.", "neu")
    assert fake_upstream.requests[-1].headers["authorization"] == f"Bearer {KEY}"
    # A new one replaces it (and the log says a new key was entered, not which).
    assert admin_post(env, f"/admin/models/{ident}/edit", key_mode="stored", api_key="sk-neu-2",
                      **form).status_code == 303
    chat(env, "erika", "Zweite Frage.", "neu")
    assert fake_upstream.requests[-1].headers["authorization"] == "Bearer sk-neu-2"
    assert _audit(env, "config.models.update")[-1].detail["after"]["api_key_replaced"] is True
    # Choosing the environment variable removes the stored key.
    assert admin_post(env, f"/admin/models/{ident}/edit", key_mode="env", api_key_env="SPIELRAUM_TEST_KEY",
                      **form).status_code == 303
    with env.session() as session:
        assert session.get(ModelEntry, ident).api_key_encrypted is None
    assert _audit(env, "config.models.update")[-1].detail["after"]["api_key_encrypted"] == "(leer)"


def test_a_key_sealed_under_another_secret_is_not_sent(env, fake_upstream):
    from app.chat.model_keys import KeyCipher

    sealed = KeyCipher("another-secret").seal(KEY)
    assert KeyCipher("another-secret").open(sealed) == KEY
    assert env.app.state.models.cipher.open(sealed) is None


# -- switched off, restricted, limited ------------------------------------------------------------
def test_a_disabled_model_can_be_neither_chosen_nor_called(env, fake_upstream):
    add_model(env, fake_upstream.base_url)
    headers = _api(env, "erika")
    assert "neu" in offered_models(_chat_page(env, "erika"))
    assert admin_post(env, f"/admin/models/{entry_id(env, 'neu')}/enabled", enabled="0").status_code == 303
    assert "Abgeschaltet" in env.client.get("/admin/models", headers=HTML).text
    assert _audit(env, "config.models.disable")[-1].detail == {"before": {"enabled": True},
                                                               "after": {"enabled": False}}
    calls = len(fake_upstream.requests)

    assert "neu" not in offered_models(_chat_page(env, "erika"))
    events = chat(env, "erika", "Bitte fassen Sie kurz zusammen: Hallo.", "neu")
    assert events == [{**events[0], "type": "error", "code": "model_not_found"}]
    api = _completion(env, headers, "neu")
    assert api.status_code == 404 and api.json()["error"]["code"] == "model_not_found"
    listed = env.client.get("/v1/models", headers=headers).json()["data"]
    assert "neu" not in [m["id"] for m in listed]
    assert [m["id"] for m in listed if m["default"]] == ["fake"]
    assert len(fake_upstream.requests) == calls  # nothing went out

    admin_post(env, f"/admin/models/{entry_id(env, 'neu')}/enabled", enabled="1")
    assert chat(env, "erika", "Bitte fassen Sie kurz zusammen: Hallo.", "neu")[-1]["type"] == "done"


def _chat_page(env, username: str, role: str = "employee") -> str:
    sign_in(env, username, role)
    return env.client.get("/", headers=HTML).text


def test_a_role_restriction_holds_on_the_web_and_the_api(env, fake_upstream):
    add_model(env, fake_upstream.base_url, roles="dpo")
    employee = _api(env, "erika")
    assert "neu" not in offered_models(_chat_page(env, "erika"))
    assert chat(env, "erika", "Hallo, eine Frage.", "neu")[-1]["code"] == "model_not_found"
    assert _completion(env, employee, "neu").status_code == 404

    assert "neu" in offered_models(_chat_page(env, "dora", "dpo"))
    assert chat(env, "dora", "Hallo, eine Frage.", "neu", role="dpo")[-1]["type"] == "done"
    assert _completion(env, _api(env, "dora", "dpo"), "neu").status_code == 200


def test_a_group_restriction_holds_until_the_person_joins(env, fake_upstream):
    from app.storage import crud
    from app.storage.tables import Group, UserGroup

    with env.session() as session:
        session.add(Group(name="Bauamt"))
        session.commit()
    sign_in(env, "ida", "admin")  # the group is offered on the form
    assert 'value="Bauamt"' in env.client.get("/admin/models/new", headers=HTML).text
    assert add_model(env, fake_upstream.base_url, groups="Bauamt").status_code == 303
    headers = _api(env, "erika")
    assert chat(env, "erika", "Hallo, eine Frage.", "neu")[-1]["code"] == "model_not_found"
    assert _completion(env, headers, "neu").status_code == 404

    with env.session() as session:
        user = crud.get_user_by_username(session, "erika")
        group = session.exec(select(Group).where(Group.name == "Bauamt")).one()
        session.add(UserGroup(user_id=user.id, group_id=group.id))
        session.commit()
    assert "neu" in offered_models(_chat_page(env, "erika"))
    assert chat(env, "erika", "Hallo, eine Frage.", "neu")[-1]["type"] == "done"
    assert _completion(env, headers, "neu").status_code == 200


def test_the_daily_limit_stops_the_next_request_with_words_and_429(env, fake_upstream):
    add_model(env, fake_upstream.base_url, requests_per_day="2")
    assert chat(env, "erika", "Erste Frage.", "neu")[-1]["type"] == "done"
    headers = _api(env, "erika")
    assert _completion(env, headers, "neu").status_code == 200
    calls = len(fake_upstream.requests)

    events = chat(env, "erika", "Dritte Frage.", "neu")
    assert events[-1]["type"] == "error" and events[-1]["code"] == "daily_limit_reached"
    assert "heute bereits 2 Anfragen" in events[-1]["message_de"]
    api = _completion(env, headers, "neu")
    assert api.status_code == 429
    assert api.json()["error"]["code"] == "daily_limit_reached"
    assert len(fake_upstream.requests) == calls
    # Another person, and another model, are not affected.
    assert chat(env, "max", "Erste Frage.", "neu")[-1]["type"] == "done"
    assert chat(env, "erika", "Andere Frage.", "fake")[-1]["type"] == "done"


def test_the_daily_count_reads_only_todays_sent_prompts(env):
    from datetime import timedelta

    from app.chat.model_access import start_of_day
    from app.storage import model_entries
    from app.storage.tables import Exchange

    user = env.user("erika")
    today = start_of_day()
    with env.session() as session:
        for created, verdict, code in [(today - timedelta(seconds=1), "sent", None), (today, "sent", None),
                                       (today, "blocked", "pii_blocked"), (today, "error", "guard_busy"),
                                       (today, "error", "upstream_timeout")]:
            session.add(Exchange(user_id=user.id, model_id="neu", channel="web", verdict=verdict,
                                 error_code=code, created_at=created))
        session.commit()
        assert model_entries.requests_since(session, user.id, "neu", today) == 2
        assert model_entries.requests_since(session, user.id, "andere", today) == 0


# -- default, validation, file models --------------------------------------------------------------
def test_exactly_one_default_and_the_chat_preselects_it(env, fake_upstream):
    assert selected_model(_chat_page(env, "erika")) == "fake"  # the file's first model
    add_model(env, fake_upstream.base_url, model_id="erstes", is_default="1")
    assert selected_model(_chat_page(env, "erika")) == "erstes"
    add_model(env, fake_upstream.base_url, model_id="zweites")
    admin_post(env, f"/admin/models/{entry_id(env, 'zweites')}/default")
    assert selected_model(_chat_page(env, "erika")) == "zweites"
    with env.session() as session:
        assert [e.model_id for e in session.exec(select(ModelEntry).where(ModelEntry.is_default == True))] == [  # noqa: E712
            "zweites"]
    defaults = [m for m in env.app.state.models.catalogue().models if m.default]
    assert [m.id for m in defaults] == ["zweites"]
    # A person who may not use the default gets their first allowed model preselected.
    admin_post(env, f"/admin/models/{entry_id(env, 'zweites')}/edit", display_name="Zweites",
               litellm_model="openai/fake-model", key_mode="none", timeout_seconds="20", enabled="1",
               is_default="1", roles="dpo")
    assert selected_model(_chat_page(env, "erika")) == "fake"


def test_form_mistakes_are_shown_next_to_the_fields(env, fake_upstream):
    response = add_model(env, fake_upstream.base_url, model_id="fake", display_name="",
                         litellm_model="gibtsnicht/modell", api_base="ftp://x", temperature="3",
                         key_mode="stored", api_key="")
    assert response.status_code == 400
    page = response.text
    for field, message in [("model_id", "Diese Kennung ist schon vergeben."),
                           ("display_name", "Bitte geben Sie einen Anzeigenamen an"),
                           ("litellm_model", "litellm kennt den Anbieter dieser Modellbezeichnung nicht"),
                           ("api_base", "Bitte geben Sie eine Adresse mit http:// oder https:// an."),
                           ("temperature", "Bitte geben Sie eine Zahl von 0 bis 2 an"),
                           ("api_key", "Bitte geben Sie den API-Schlüssel ein.")]:
        assert f'id="err-{field}">{message}' in page, field
        assert f'href="#f-{field}"' in page  # and in the summary at the top
    assert 'aria-invalid="true"' in page
    with env.session() as session:
        assert session.exec(select(ModelEntry)).all() == []
    assert _audit(env, "config.models") == []


def test_file_models_are_listed_read_only_and_can_be_tested(env, fake_upstream):
    csrf = admin_csrf(env)
    listing = env.client.get("/admin/models", headers=HTML).text
    assert "aus Datei" in listing and "Nur lesbar" in listing and "/admin/models/1/edit" not in listing
    response = _test_connection(env, csrf, "fake")
    assert "Verbindung funktioniert." in response.text and re.search(r"nach \d+ ms geantwortet", response.text)


def test_delete_asks_first_then_removes_the_model(env, fake_upstream):
    add_model(env, fake_upstream.base_url)
    ident = entry_id(env, "neu")
    confirm = env.client.get(f"/admin/models/{ident}/delete", headers=HTML)
    assert "wirklich löschen" in confirm.text
    assert admin_post(env, f"/admin/models/{ident}/delete").status_code == 303
    assert chat(env, "erika", "Hallo, eine Frage.", "neu")[-1]["code"] == "model_not_found"
    deleted = _audit(env, "config.models.delete")[-1]
    assert deleted.detail["before"]["model_id"] == "neu" and deleted.detail["after"] is None
    assert KEY not in json.dumps(deleted.detail)


def _test_connection(env, csrf: str, model_id: str):
    """POST, then the page the redirect names (the result travels in the session cookie)."""
    posted = env.client.post("/admin/models/test", data={"csrf": csrf, "model_id": model_id}, headers=HTML,
                             follow_redirects=False)
    assert posted.status_code == 303
    return env.client.get(posted.headers["location"], headers=HTML)


# -- "Verbindung testen" -------------------------------------------------------------------------
def test_the_connection_test_makes_one_tiny_call_and_shows_the_latency(env, fake_upstream):
    add_model(env, fake_upstream.base_url)
    calls = len(fake_upstream.requests)
    csrf = admin_csrf(env)
    response = _test_connection(env, csrf, "neu")
    assert response.status_code == 200 and "Verbindung funktioniert." in response.text
    assert len(fake_upstream.requests) == calls + 1
    probe = fake_upstream.requests[-1]
    assert probe["max_tokens"] == 5 and probe["messages"] == [{"role": "user", "content": "ping"}]
    assert probe.headers["authorization"] == f"Bearer {KEY}"
    tested = _audit(env, "config.models.test")[-1]
    assert tested.detail["after"]["ok"] is True and tested.detail["after"]["latency_ms"] >= 0
    assert KEY not in json.dumps(tested.detail)
    # Shown once: reloading the list does not show it again.
    assert "Verbindung funktioniert." not in env.client.get("/admin/models", headers=HTML).text


@pytest.mark.parametrize("behaviour, words", [
    ("error_401", "Der Anbieter hat den API-Schlüssel abgelehnt (HTTP 401)"),
    ("error_500", "Der Server meldet einen Fehler (HTTP 500)"),
])
def test_a_failed_connection_test_says_what_to_check(env, fake_upstream, behaviour, words):
    add_model(env, fake_upstream.base_url)
    fake_upstream.behaviour = behaviour
    csrf = admin_csrf(env)
    response = _test_connection(env, csrf, "neu")
    assert "Verbindung fehlgeschlagen." in response.text and words in response.text
    assert _audit(env, "config.models.test")[-1].detail["after"]["ok"] is False


def test_an_unreachable_server_is_named_as_such(env, fake_upstream):
    from tests.app.conftest import free_port

    add_model(env, fake_upstream.base_url, model_id="weg", api_base=f"http://127.0.0.1:{free_port()}/v1",
              enabled=None)  # a disabled model can be tested before it is switched on
    csrf = admin_csrf(env)
    response = _test_connection(env, csrf, "weg")
    assert "Der Server ist nicht erreichbar. Prüfen Sie die Adresse (api_base)" in response.text


# -- several processes ----------------------------------------------------------------------------
def test_two_app_instances_on_one_database_see_a_change_at_once(make_env, fake_upstream):
    first = make_env()
    second = make_env()
    assert first.app is not second.app and first.settings.database_url == second.settings.database_url
    headers = _api(second, "erika")
    assert "neu" not in [m["id"] for m in second.client.get("/v1/models", headers=headers).json()["data"]]

    assert add_model(first, fake_upstream.base_url).status_code == 303
    assert "neu" in [m["id"] for m in second.client.get("/v1/models", headers=headers).json()["data"]]
    assert _completion(second, headers, "neu").status_code == 200  # with the key sealed by the first

    admin_post(first, f"/admin/models/{entry_id(first, 'neu')}/enabled", enabled="0")
    assert _completion(second, headers, "neu").status_code == 404


def test_non_admins_cannot_change_models(env, fake_upstream):
    sign_in(env, "dora", "dpo")
    assert env.client.get("/admin/models", headers=HTML).status_code == 403


@pytest.mark.postgres
def test_on_postgres_two_instances_follow_changes_and_the_limits_hold(make_env, fake_upstream, pg_schema):
    url = f"{PG_SERVER}?options=-csearch_path%3D{pg_schema}"
    first, second = make_env(database_url=url), make_env(database_url=url)
    assert second.app.state.engine.dialect.name == "postgresql"
    assert add_model(first, fake_upstream.base_url, requests_per_day="1", is_default="1").status_code == 303
    assert add_model(first, fake_upstream.base_url, model_id="zweites", is_default="1").status_code == 303
    assert [m.id for m in second.app.state.models.catalogue().models if m.default] == ["zweites"]
    headers = _api(second, "erika")
    assert _completion(second, headers, "neu").status_code == 200
    assert _completion(second, headers, "neu").status_code == 429
    admin_post(first, f"/admin/models/{entry_id(first, 'zweites')}/enabled", enabled="0")
    assert _completion(second, headers, "zweites").status_code == 404


def test_the_record_of_processing_lists_browser_models_where_they_run(env, fake_upstream):
    from tests.app.dpo.support import sign_in_dpo

    add_model(env, fake_upstream.base_url, location="USA", groups=None, roles="employee")
    sign_in_dpo(env)
    record = env.client.get("/dpo/record", headers=HTML).text
    row = record.split("Neues Modell", 1)[1].split("</tr>", 1)[0]
    assert "<code>neu</code>" in row and "<td>USA</td>" in row and "<td>employee</td>" in row
    admin_post(env, f"/admin/models/{entry_id(env, 'neu')}/enabled", enabled="0")
    sign_in_dpo(env)
    assert "Neues Modell" not in env.client.get("/dpo/record", headers=HTML).text


def test_the_sealing_key_comes_from_the_config_secret_or_else_the_app_secret(tmp_path):
    from app.chat.model_keys import cipher_from_settings
    from app.settings import Settings

    derived = cipher_from_settings(Settings(data_dir=tmp_path, secret_key="app-secret"))
    own = cipher_from_settings(Settings(data_dir=tmp_path, secret_key="app-secret",
                                        config_secret_key="ein-eigener-langer-schluessel"))
    sealed = derived.seal(KEY)
    assert KEY not in sealed and derived.open(sealed) == KEY
    assert own.open(sealed) is None and own.open(own.seal(KEY)) == KEY
    assert "ein-eigener" not in repr(Settings(config_secret_key="ein-eigener-langer-schluessel"))
    assert KEY not in repr(derived)
