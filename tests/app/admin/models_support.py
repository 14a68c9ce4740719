"""Helpers for the Models section's tests: an admin who fills in the real form, an employee who chats."""
from __future__ import annotations

import re

from tests.app.conftest import AppEnv
from tests.app.test_pages import HTML, chat_csrf, csrf_from, login, stream

ADMIN = "ida"
KEY = "sk-live-Geheimer-Schluessel-4711"


def sign_in(env: AppEnv, username: str, role: str = "employee") -> None:
    with env.session() as session:
        from app.storage import crud
        if crud.get_user_by_username(session, username) is None:
            env.user(username, role=role)
    env.client.cookies.clear()
    assert login(env.client, username).status_code == 303


def admin_csrf(env: AppEnv) -> str:
    sign_in(env, ADMIN, "admin")
    return csrf_from(env.client.get("/admin/models", headers=HTML).text)


def model_form(base_url: str, **changes) -> dict:
    form = {"model_id": "neu", "display_name": "Neues Modell", "description": "Für Entwürfe.",
            "location": "EU-Rechenzentrum", "litellm_model": "openai/fake-model", "api_base": base_url,
            "key_mode": "stored", "api_key": KEY, "api_key_env": "", "max_tokens": "200", "temperature": "0.5",
            "requests_per_day": "", "timeout_seconds": "20", "enabled": "1"}
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def add_model(env: AppEnv, base_url: str, **changes):
    csrf = admin_csrf(env)
    response = env.client.post("/admin/models/new", data={"csrf": csrf, **model_form(base_url, **changes)},
                               headers=HTML, follow_redirects=False)
    return response


def entry_id(env: AppEnv, model_id: str) -> int:
    from app.storage import model_entries

    with env.session() as session:
        return model_entries.get_by_model_id(session, model_id).id


def admin_post(env: AppEnv, path: str, **data):
    csrf = admin_csrf(env)
    return env.client.post(path, data={"csrf": csrf, **data}, headers=HTML, follow_redirects=False)


def chat(env: AppEnv, username: str, prompt: str, model_id: str, role: str = "employee") -> list[dict]:
    sign_in(env, username, role)
    _, events = stream(env.client, chat_csrf(env.client), prompt, model_id=model_id)
    return events


def offered_models(html: str) -> list[str]:
    return re.findall(r'<option value="([^"]+)"', html.split('id="model"', 1)[1].split("</select>", 1)[0]) \
        if 'id="model"' in html else []


def selected_model(html: str) -> str | None:
    match = re.search(r'<option value="([^"]+)"\s+selected', html)
    return match.group(1) if match else None
