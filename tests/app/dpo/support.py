"""Helpers for the desk's tests: exchanges made through the real web chat, a signed-in DPO."""
from __future__ import annotations

from tests.app.conftest import AppEnv
from tests.app.test_pages import chat_csrf, login, stream

DPO = "dora"


def chat_as(env: AppEnv, username: str, prompts: list[str], model_id: str = "fake") -> list[dict]:
    """Sign in as `username` (created as employee if missing) and send each prompt through /chat/stream."""
    with env.session() as session:
        from app.storage import crud
        if crud.get_user_by_username(session, username) is None:
            env.user(username)
    env.client.cookies.clear()
    assert login(env.client, username).status_code == 303
    csrf = chat_csrf(env.client)
    sent = []
    for prompt in prompts:
        response, events = stream(env.client, csrf, prompt, model_id=model_id)
        assert response.status_code == 200, response.text
        sent.append(events)
    env.client.cookies.clear()
    return sent


def sign_in_dpo(env: AppEnv, username: str = DPO) -> str:
    """Signs in a DPO (created if missing); returns a CSRF token for the desk's forms."""
    with env.session() as session:
        from app.storage import crud
        if crud.get_user_by_username(session, username) is None:
            env.user(username, role="dpo")
    env.client.cookies.clear()
    assert login(env.client, username).status_code == 303
    return chat_csrf(env.client)
