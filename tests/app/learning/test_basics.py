"""The Grundlagen page and its one-time confirmation on first login, through the real app."""
from __future__ import annotations

from fastapi.testclient import TestClient

from tests.app.learning.support import csrf_of, signed_in
from tests.app.test_pages import HTML, login


def test_first_login_shows_the_basics_until_confirmed_once(make_env):
    env = make_env(first_steps_on_login=True)
    client = signed_in(env)
    first = client.get("/", headers=HTML, follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/learning/basics?first=1"
    page = client.get(first.headers["location"], headers=HTML)
    assert "Willkommen in Spielraum" in page.text
    assert "Sparringspartner, nicht Entscheider" in page.text and "Warum Sie jede Antwort prüfen müssen" in page.text
    # Conversations are guarded too; the stream itself is never redirected.
    assert client.get("/c/1", headers=HTML, follow_redirects=False).headers["location"].startswith("/learning/basics")

    csrf = csrf_of(client, "/learning/basics")
    unticked = client.post("/learning/basics", data={"csrf": csrf}, headers=HTML)
    assert unticked.status_code == 400 and "Bitte setzen Sie zuerst das Häkchen." in unticked.text
    confirmed = client.post("/learning/basics", data={"csrf": csrf, "understood": "yes"}, headers=HTML,
                            follow_redirects=False)
    assert confirmed.status_code == 303 and confirmed.headers["location"] == "/"
    assert client.get("/", headers=HTML, follow_redirects=False).status_code == 200
    assert "Sie haben die Grundlagen bestätigt" in client.get("/learning/basics", headers=HTML).text

    # A new browser session of the same person: the confirmation is remembered in the database.
    second = TestClient(env.app)
    with second:
        login(second, "erika")
        assert second.get("/", headers=HTML, follow_redirects=False).status_code == 200


def test_the_basics_need_csrf_and_sign_in_and_exist_in_english(make_env):
    env = make_env(first_steps_on_login=True)
    assert env.client.get("/learning/basics", headers=HTML, follow_redirects=False).headers["location"] == "/login"
    client = signed_in(env)
    assert client.post("/learning/basics", data={"understood": "yes"}, headers=HTML).status_code == 403
    client.cookies.set("spielraum_lang", "en")
    page = client.get("/learning/basics", headers=HTML).text
    assert "What the guard protects – and what it does not" in page
    assert "I have read the basics and follow the rules of this space." in page


def test_the_check_can_be_switched_off(make_env):
    env = make_env(first_steps_on_login=False)
    client = signed_in(env)
    assert client.get("/", headers=HTML, follow_redirects=False).status_code == 200
