"""Error pages speak plainly and keep a signed-in person's navigation; deep links survive sign-in."""
from __future__ import annotations

from tests.app.test_pages import HTML, csrf_from, login
from tests.app.conftest import PASSWORD


def test_a_404_while_signed_in_keeps_the_navigation(env):
    env.user("erika")
    login(env.client)
    page = env.client.get("/gibt-es-nicht", headers=HTML)
    assert page.status_code == 404
    assert "erika" in page.text and 'id="logout"' in page.text and ">Chat</a>" in page.text
    assert "Diese Seite oder Unterhaltung wurde nicht gefunden." in page.text


def test_a_malformed_conversation_address_is_a_plain_not_found(env):
    env.user("erika")
    login(env.client)
    page = env.client.get("/c/abc", headers=HTML)
    assert page.status_code == 404
    assert "Felder" not in page.text and "path." not in page.text
    assert "nicht gefunden" in page.text


def test_browser_validation_errors_name_no_fields(env):
    env.user("erika")
    login(env.client)
    page = env.client.get("/", headers=HTML)
    response = env.client.post("/c/1/rename", headers=HTML, data={"csrf": csrf_from(page.text), "title": "x" * 2000})
    assert response.status_code == 400
    assert "Felder" not in response.text and "body.title" not in response.text


def test_a_deep_link_survives_sign_in_and_foreign_targets_do_not(env):
    env.user("erika")
    response = env.client.get("/c/7?x=1", headers=HTML, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=%2Fc%2F7%3Fx%3D1"
    page = env.client.get(response.headers["location"])
    assert 'name="next" value="/c/7?x=1"' in page.text
    signed_in = env.client.post("/login", headers=HTML, follow_redirects=False, data={
        "username": "erika", "password": PASSWORD, "csrf": csrf_from(page.text), "next": "/c/7?x=1"})
    assert signed_in.headers["location"] == "/c/7?x=1"
    env.client.post("/logout", data={"csrf": csrf_from(env.client.get("/", headers=HTML).text)}, headers=HTML)
    page = env.client.get("/login?next=//evil.example/x")
    assert 'name="next" value="//evil' not in page.text
    signed_in = env.client.post("/login", headers=HTML, follow_redirects=False, data={
        "username": "erika", "password": PASSWORD, "csrf": csrf_from(page.text), "next": "https://evil.example"})
    assert signed_in.headers["location"] == "/"
