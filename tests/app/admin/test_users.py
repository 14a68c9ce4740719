"""The users page, driven through real requests: an administrator's browser and, where it
matters, the affected person's own browser and API client at the same time."""
from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.storage import config_versions, groups as group_store
from app.storage.crud import get_user_by_username
from app.storage.tables import ApiToken, AuditEntry, Group, User
from tests.app.conftest import PASSWORD, dump_database
from tests.app.test_pages import HTML, csrf_from, login

ONE_TIME = re.compile(r'id="one-time-password" type="text" readonly value="([^"]+)"')


@pytest.fixture
def admin(env):
    env.user("boss", role="admin")
    assert login(env.client, "boss").status_code == 303
    return env


def csrf(env) -> str:
    return csrf_from(env.client.get("/admin/users", headers=HTML).text)


def post(env, path: str, **data):
    return env.client.post(path, data={"csrf": csrf(env), **data}, headers=HTML, follow_redirects=False)


def other_browser(env) -> TestClient:
    return TestClient(env.app)


def user(env, name: str) -> User:
    with env.session() as session:
        found = get_user_by_username(session, name)
        session.expunge(found)
        return found


def audit_entries(env, prefix: str = "config.users") -> list[AuditEntry]:
    with env.session() as session:
        return [e for e in session.exec(select(AuditEntry).order_by(AuditEntry.id)) if e.action.startswith(prefix)]


def users_version(env) -> int:
    with env.session() as session:
        return config_versions.current(session, config_versions.USERS)


# -- list ----------------------------------------------------------------------------------
def test_the_list_shows_role_status_groups_last_sign_in_source_and_tokens_as_text(admin):
    erika = admin.user("erika")
    admin.token(erika)
    admin.token(erika)
    with admin.session() as session:
        session.add(Group(name="Sozialamt"))
        session.commit()
        group_store.set_user_groups(session, erika.id, [group_store.get_group_by_name(session, "Sozialamt").id])
        locked = User(username="gesperrt-sso", password_hash="!oidc:x", is_active=False, auth_source="oidc")
        session.add(locked)
        session.commit()
    page = admin.client.get("/admin/users", headers=HTML).text
    row = re.search(r"<tr>\s*<td><a href=\"/admin/users/\d+\">erika</a></td>(.*?)</tr>", page, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
    assert cells == ["Beschäftigte/r", "aktiv", "Sozialamt", "noch nie", "lokal", "2"]
    sso_row = re.search(r"gesperrt-sso</a></td>(.*?)</tr>", page, re.S).group(1)
    assert "gesperrt" in sso_row and "Single Sign-on" in sso_row
    boss_row = re.search(r">boss</a></td>(.*?)</tr>", page, re.S).group(1)
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", boss_row)  # signed in just now


def test_search_and_paging(admin):
    for n in range(30):
        admin.user(f"person{n:02d}")
    first = admin.client.get("/admin/users", headers=HTML).text
    assert "31 Konten" in first and "person23" in first and "person24" not in first
    assert 'href="/admin/users?page=2"' in first
    second = admin.client.get("/admin/users?page=2", headers=HTML).text
    assert "person24" in second and "person29" in second and "person00" not in second
    found = admin.client.get("/admin/users?q=son1", headers=HTML).text
    assert "10 Konten" in found and "person15" in found and "person20" not in found
    assert "0 Konten" in admin.client.get("/admin/users?q=%25", headers=HTML).text  # % is a character, not a wildcard


# -- create --------------------------------------------------------------------------------
def test_create_with_a_generated_password_shown_once(admin):
    before = users_version(admin)
    response = post(admin, "/admin/users", username="neu.person", role="curator")
    assert response.status_code == 201
    password = ONE_TIME.search(response.text).group(1)
    created = user(admin, "neu.person")
    assert created.role == "curator" and created.must_change_password and created.auth_source == "local"
    assert users_version(admin) == before + 1
    # Shown once: the person's page does not show it again, and it is stored nowhere.
    assert password not in admin.client.get(f"/admin/users/{created.id}", headers=HTML).text
    assert password not in dump_database(admin.app.state.engine)
    [entry] = audit_entries(admin, "config.users.create")
    assert entry.actor == "boss" and password not in entry.detail and created.password_hash not in entry.detail
    assert json.loads(entry.detail)["after"]["role"] == "curator"
    # The person signs in with it and must choose their own password first.
    browser = other_browser(admin)
    assert login(browser, "neu.person", password).status_code == 303
    assert browser.get("/", headers=HTML, follow_redirects=False).headers["location"] == "/account?first=1"


def test_create_with_a_typed_password_checks_the_rule(admin):
    weak = post(admin, "/admin/users", username="neu", role="employee", password="passwort2024")
    assert weak.status_code == 400 and 'id="new-password-error"' in weak.text and "verbreitet" in weak.text
    assert 'id="create-errors"' in weak.text and 'value="neu"' in weak.text
    with admin.session() as session:
        assert get_user_by_username(session, "neu") is None
    ok = post(admin, "/admin/users", username="neu", role="employee", password=PASSWORD)
    assert ok.status_code == 303 and ok.headers["location"].endswith("?done=created")
    assert user(admin, "neu").must_change_password
    assert login(other_browser(admin), "neu", PASSWORD).status_code == 303


@pytest.mark.parametrize(("data", "field"), [
    ({"username": "boss", "role": "employee"}, "username"),
    ({"username": "", "role": "employee"}, "username"),
    ({"username": "zwei worte", "role": "employee"}, "username"),
    ({"username": "x", "role": "superuser"}, "role"),
    ({"username": "x", "role": "employee", "groups": "999"}, "groups"),
])
def test_create_refuses_bad_input_with_the_error_next_to_the_field(admin, data, field):
    response = post(admin, "/admin/users", **data)
    assert response.status_code == 400 and f'id="new-{field}-error"' in response.text
    with admin.session() as session:
        assert len(session.exec(select(User)).all()) == 1


def test_create_with_groups(admin):
    with admin.session() as session:
        session.add(Group(name="Bauamt"))
        session.commit()
        group_id = group_store.get_group_by_name(session, "Bauamt").id
    post(admin, "/admin/users", username="neu", role="employee", password=PASSWORD, groups=str(group_id))
    with admin.session() as session:
        assert group_store.group_names_of(session, user(admin, "neu").id) == {"Bauamt"}


# -- deactivation stops sessions and tokens at once ----------------------------------------
def test_deactivation_ends_the_session_and_the_tokens_at_once_and_reactivation_restores_access(admin):
    erika = admin.user("erika")
    token = admin.token(erika)
    browser = other_browser(admin)
    assert login(browser, "erika").status_code == 303
    assert browser.get("/", headers=HTML, follow_redirects=False).status_code == 200
    api = {"authorization": f"Bearer {token}"}
    assert browser.get("/v1/models", headers=api).status_code == 200

    response = post(admin, f"/admin/users/{erika.id}/deactivate")
    assert response.status_code == 303
    assert "gesperrt" in admin.client.get(response.headers["location"], headers=HTML).text

    assert browser.get("/", headers=HTML, follow_redirects=False).headers["location"].startswith("/login")
    assert browser.get("/v1/models", headers=api).status_code == 401
    assert login(browser, "erika").status_code == 401
    [entry] = audit_entries(admin, "config.users.deactivate")
    assert json.loads(entry.detail)["after"]["sessions_ended"] == 1

    assert post(admin, f"/admin/users/{erika.id}/reactivate").status_code == 303
    assert login(browser, "erika").status_code == 303
    assert browser.get("/v1/models", headers=api).status_code == 200


def test_a_role_change_applies_to_the_running_session(admin):
    erika = admin.user("erika")
    browser = other_browser(admin)
    login(browser, "erika")
    assert browser.get("/dpo", headers=HTML).status_code == 403
    assert post(admin, f"/admin/users/{erika.id}/role", role="dpo").status_code == 303
    assert browser.get("/dpo", headers=HTML).status_code == 200
    [entry] = audit_entries(admin, "config.users.role")
    detail = json.loads(entry.detail)
    assert detail["before"]["role"] == "employee" and detail["after"]["role"] == "dpo"


# -- password reset and tokens -------------------------------------------------------------
def test_reset_password_shows_a_new_one_once_and_ends_every_session(admin):
    erika = admin.user("erika")
    browser = other_browser(admin)
    login(browser, "erika")
    response = post(admin, f"/admin/users/{erika.id}/password")
    assert response.status_code == 200
    password = ONE_TIME.search(response.text).group(1)
    assert browser.get("/", headers=HTML, follow_redirects=False).headers["location"].startswith("/login")
    assert login(browser, "erika", PASSWORD).status_code == 401
    assert login(browser, "erika", password).status_code == 303
    assert browser.get("/", headers=HTML, follow_redirects=False).headers["location"] == "/account?first=1"
    [entry] = audit_entries(admin, "config.users.password_reset")
    assert password not in entry.detail


def test_an_admin_resetting_their_own_password_keeps_this_browser_only(admin):
    boss = user(admin, "boss")
    elsewhere = other_browser(admin)
    login(elsewhere, "boss")
    response = post(admin, f"/admin/users/{boss.id}/password")
    assert response.status_code == 200 and ONE_TIME.search(response.text)
    assert elsewhere.get("/", headers=HTML, follow_redirects=False).headers["location"].startswith("/login")
    # This browser stays signed in, and is sent to choose a password of its own first.
    assert admin.client.get("/", headers=HTML, follow_redirects=False).headers["location"] == "/account?first=1"


def test_an_sso_account_has_no_password_to_reset(admin):
    with admin.session() as session:
        sso = User(username="sso", password_hash="!oidc:x", auth_source="oidc", external_subject="i#s")
        session.add(sso)
        session.commit()
        sso_id = sso.id
    page = admin.client.get(f"/admin/users/{sso_id}", headers=HTML).text
    assert "/password" not in page and "Single Sign-on" in page
    response = post(admin, f"/admin/users/{sso_id}/password")
    assert response.status_code == 409 and "Anmeldedienst" in response.text


def test_revoking_all_tokens(admin):
    erika = admin.user("erika")
    tokens = [admin.token(erika), admin.token(erika)]
    boss_token = admin.token(user(admin, "boss"))
    assert "2 API-Schlüssel" in admin.client.get(f"/admin/users/{erika.id}", headers=HTML).text
    assert post(admin, f"/admin/users/{erika.id}/tokens/revoke").status_code == 303
    for token in tokens:
        assert admin.client.get("/v1/models", headers={"authorization": f"Bearer {token}"}).status_code == 401
    assert admin.client.get("/v1/models", headers={"authorization": f"Bearer {boss_token}"}).status_code == 200
    with admin.session() as session:
        assert session.exec(select(ApiToken).where(ApiToken.user_id == erika.id)).all() == []
    [entry] = audit_entries(admin, "config.users.tokens_revoke")
    assert json.loads(entry.detail)["after"]["api_tokens_revoked"] == 2


# -- the last administrator ----------------------------------------------------------------
def test_the_last_active_admin_cannot_lock_or_demote_themselves(admin):
    boss = user(admin, "boss")
    for path, data in ((f"/admin/users/{boss.id}/deactivate", {}), (f"/admin/users/{boss.id}/role", {"role": "dpo"})):
        response = post(admin, path, **data)
        assert response.status_code == 409 and "letzte aktive Administrator" in response.text
    again = user(admin, "boss")
    assert again.is_active and again.role == "admin"
    # A locked administrator does not count.
    other = admin.user("zweite", role="admin")
    post(admin, f"/admin/users/{other.id}/deactivate")
    assert post(admin, f"/admin/users/{boss.id}/role", role="employee").status_code == 409
    # With a second active administrator the change is allowed.
    post(admin, f"/admin/users/{other.id}/reactivate")
    assert post(admin, f"/admin/users/{boss.id}/role", role="employee").status_code == 303
    assert admin.client.get("/admin/users", headers=HTML).status_code == 403  # no longer an admin


# -- groups of a user, CSRF, versions ------------------------------------------------------
def test_assigning_groups_bumps_the_users_version_and_is_audited(admin):
    erika = admin.user("erika")
    with admin.session() as session:
        session.add_all([Group(name="A"), Group(name="B")])
        session.commit()
        ids = {g.name: g.id for g in session.exec(select(Group))}
    before = users_version(admin)
    response = admin.client.post(f"/admin/users/{erika.id}/groups", headers=HTML, follow_redirects=False,
                                 data={"csrf": csrf(admin), "groups": [str(ids["A"]), str(ids["B"])]})
    assert response.status_code == 303
    with admin.session() as session:
        assert group_store.group_names_of(session, erika.id) == {"A", "B"}
    assert users_version(admin) == before + 1
    post(admin, f"/admin/users/{erika.id}/groups", groups=str(ids["B"]))
    detail = json.loads(audit_entries(admin, "config.users.groups")[-1].detail)
    assert detail["before"]["groups"] == ["A", "B"] and detail["after"]["groups"] == ["B"]


def test_changes_without_the_csrf_token_are_refused(admin):
    erika = admin.user("erika")
    response = admin.client.post(f"/admin/users/{erika.id}/deactivate", data={"csrf": "wrong"}, headers=HTML)
    assert response.status_code == 403
    assert user(admin, "erika").is_active


def test_an_unknown_user_is_not_found(admin):
    assert admin.client.get("/admin/users/4711", headers=HTML).status_code == 404
    assert post(admin, "/admin/users/4711/deactivate").status_code == 404


@pytest.mark.parametrize("lang", ["de", "en"])
def test_pages_render_in_both_languages(admin, lang):
    admin.client.post("/lang", data={"lang": lang})
    erika = admin.user("erika")
    list_page = admin.client.get("/admin/users", headers=HTML).text
    detail = admin.client.get(f"/admin/users/{erika.id}", headers=HTML).text
    expected = {"de": ("Konto anlegen", "Konto sperren"), "en": ("Create account", "Lock account")}[lang]
    assert expected[0] in list_page and expected[1] in detail
    assert "admin_users_" not in list_page + detail  # no untranslated key
