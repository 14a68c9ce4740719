"""Helpers for the learning tests: sign in through the real login form, read CSRF tokens."""
from __future__ import annotations

import json
import re

from tests.app.test_pages import HTML, login

CSRF_FIELD_RE = re.compile(r'name="csrf" value="([^"]+)"')
CSRF_META_RE = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def signed_in(env, username: str = "erika", role: str = "employee"):
    """A fresh client of the same app, signed in as a new user of that role."""
    from fastapi.testclient import TestClient

    env.user(username, role)
    client = TestClient(env.app)
    client.__enter__()
    assert login(client, username).status_code == 303
    return client


def csrf_of(client, path: str = "/learning/library") -> str:
    page = client.get(path, headers=HTML)
    match = CSRF_META_RE.search(page.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def chat_turn(client, csrf: str, prompt: str, model_id: str = "fake") -> dict:
    """One chat turn through /chat/stream; the events by type."""
    response = client.post("/chat/stream", json={"model_id": model_id, "prompt": prompt, "csrf": csrf},
                           headers={"accept": "application/x-ndjson"})
    events = [json.loads(line) for line in response.text.splitlines() if line.strip()]
    by_type = {event["type"]: event for event in events}
    assert "done" in by_type, events
    return by_type
