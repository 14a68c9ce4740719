"""Server-side sessions: logout, password changes and deactivation end them at once."""
from __future__ import annotations

import io
import json
import sys

import httpx
import pytest
from sqlmodel import select

from app.accounts.provisioning import change_password, deactivate_user
from app.accounts.user_sessions import SESSION_ID_KEY, hash_session_id
from app.storage.tables import UserSession
from tests.app.conftest import ServerThread, dump_database
from tests.app.test_pages import HTML, login

NEW_PASSWORD = "Neues-Fahrrad-Schloss-3"


def _signed_in_client(env):
    """A second browser (its own cookie jar) signed in as erika."""
    from fastapi.testclient import TestClient

    client = TestClient(env.app)
    assert login(client).status_code == 303
    return client


def _opens_home(client, cookie: str | None = None, name: str = "spielraum_session") -> bool:
    cookies = {name: cookie} if cookie else None
    response = client.get("/", headers=HTML, follow_redirects=False, cookies=cookies)
    if response.status_code == 200:
        return True
    assert response.status_code == 303 and response.headers["location"] == "/login"
    return False


def test_a_cookie_captured_before_logout_no_longer_opens_the_chat(env):
    env.user()
    client = env.client
    assert login(client).status_code == 303
    captured = client.cookies.get(env.settings.session_cookie)
    assert _opens_home(client)

    page = client.get("/", headers=HTML).text
    csrf = page.split('name="csrf-token" content="')[1].split('"')[0]
    assert client.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    assert not _opens_home(client)

    from fastapi.testclient import TestClient

    with TestClient(env.app) as thief:
        thief.cookies.set(env.settings.session_cookie, captured)
        assert not _opens_home(thief)
        assert thief.get("/c/1").status_code == 401


def test_the_cookie_holds_a_random_id_and_the_database_only_its_hash(env):
    env.user()
    login(env.client)
    with env.session() as session:
        rows = session.exec(select(UserSession)).all()
    assert len(rows) == 1 and rows[0].revoked_at is None and len(rows[0].session_hash) == 64
    # The signed cookie is readable (not encrypted): the id in it must not be in the table.
    import base64

    payload = env.client.cookies.get(env.settings.session_cookie).split(".")[0]
    session_id = json.loads(base64.b64decode(payload + "=="))[SESSION_ID_KEY]
    assert rows[0].session_hash == hash_session_id(session_id)
    assert session_id not in dump_database(env.app.state.engine)


def test_password_change_ends_the_other_sessions(env):
    env.user()
    keeping, other = env.client, _signed_in_client(env)
    assert login(keeping).status_code == 303
    import base64

    payload = keeping.cookies.get(env.settings.session_cookie).split(".")[0]
    keep_id = json.loads(base64.b64decode(payload + "=="))[SESSION_ID_KEY]
    assert _opens_home(other) and _opens_home(keeping)

    assert change_password(env.app.state.engine, "erika", NEW_PASSWORD, keep_session_id=keep_id) == 1
    assert not _opens_home(other)
    assert _opens_home(keeping)
    assert login(other, password=NEW_PASSWORD).status_code == 303
    assert login(_fresh(env), password="Tee-Kanne-Fenster-7").status_code == 401


def _fresh(env):
    from fastapi.testclient import TestClient

    return TestClient(env.app)


def test_password_change_from_the_cli_ends_every_session(make_env, tmp_path, monkeypatch, capsys):
    env = make_env()
    env.user()
    client = _signed_in_client(env)
    monkeypatch.setenv("SPIELRAUM_DATA_DIR", str(env.settings.data_dir))
    monkeypatch.delenv("SPIELRAUM_DATABASE_URL", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(NEW_PASSWORD + "\n"))
    from app.cli import main

    assert main(["user", "password", "erika", "--password-stdin"]) == 0
    out = capsys.readouterr().out
    assert "ended 1 session" in out and NEW_PASSWORD not in out
    assert not _opens_home(client)


def test_deactivation_stops_sessions_and_tokens_at_once(env):
    user = env.user()
    token = env.token(user)
    client = _signed_in_client(env)
    api = {"Authorization": f"Bearer {token}"}
    assert env.client.get("/v1/models", headers=api).status_code == 200
    assert _opens_home(client)

    assert deactivate_user(env.app.state.engine, "erika") == 1
    assert not _opens_home(client)
    refused = env.client.get("/v1/models", headers=api)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "invalid_api_key"
    assert login(_fresh(env)).status_code == 401


def test_deactivate_from_the_cli(make_env, monkeypatch, capsys):
    env = make_env()
    token = env.token(env.user())
    monkeypatch.setenv("SPIELRAUM_DATA_DIR", str(env.settings.data_dir))
    monkeypatch.delenv("SPIELRAUM_DATABASE_URL", raising=False)
    from app.cli import main

    assert main(["user", "deactivate", "erika"]) == 0
    assert env.client.get("/v1/models", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert main(["user", "deactivate", "niemand"]) == 1
    assert "no user named" in capsys.readouterr().err


def test_an_expired_session_is_refused(make_env):
    env = make_env(session_max_age_seconds=60)
    env.user()
    login(env.client)
    with env.session() as session:
        row = session.exec(select(UserSession)).one()
        from datetime import timedelta

        row.expires_at = row.created_at - timedelta(seconds=1)
        session.add(row)
        session.commit()
    assert not _opens_home(env.client)


@pytest.mark.timeout(60)
def test_a_streamed_answer_holds_no_database_connection(env, fake_upstream):
    """The user lookup uses its own short session: while the model stalls mid-stream, no
    pooled connection is checked out."""
    token = env.token(env.user())
    fake_upstream.behaviour = "stall_stream"
    pool = env.app.state.engine.pool
    with ServerThread(env.app) as server, httpx.Client(base_url=server.base_url, timeout=30) as client:
        with client.stream("POST", "/v1/chat/completions", headers={"Authorization": f"Bearer {token}"},
                           json={"model": "fake", "stream": True,
                                 "messages": [{"role": "user", "content": "Eins zwei drei vier fünf sechs"}]}) as response:
            lines = response.iter_lines()
            contents = 0
            for line in lines:
                if '"content": "' in line and '"content": ""' not in line:
                    contents += 1
                if contents == 2:
                    break
            assert pool.checkedout() == 0
            rest = "\n".join(lines)
    assert "[DONE]" in rest
