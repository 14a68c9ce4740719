"""Helpers for the guard policy tests: an admin who changes the policy through the real pages,
and an employee who chats through the real web chat and the API."""
from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.app.conftest import AppEnv
from tests.app.test_pages import HTML, chat_csrf, login, stream


class GuardAdmin:
    def __init__(self, env: AppEnv, username: str = "ida") -> None:
        self.env = env
        env.user(username, role="admin")
        assert login(env.client, username).status_code == 303
        self.client = env.client

    def csrf(self) -> str:
        page = self.client.get("/admin/guard", headers=HTML)
        assert page.status_code == 200, page.text
        return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)

    def rules(self, **rules: tuple[str, str]):
        """Submit the policy table with these (action, threshold) rows, all others as they are shown."""
        page = self.client.get("/admin/guard", headers=HTML).text
        data = {"csrf": re.search(r'name="csrf" value="([^"]+)"', page).group(1)}
        for key in re.findall(r'name="action-([A-Z_]+|_default)"', page):
            selected = re.search(rf'name="action-{key}".*?<option value="([^"]*)" selected', page, re.S)
            data[f"action-{key}"] = selected.group(1) if selected else ""
            data[f"threshold-{key}"] = re.search(rf'name="threshold-{key}" value="([^"]*)"', page).group(1)
        for key, (action, threshold) in rules.items():
            data[f"action-{key}"], data[f"threshold-{key}"] = action, threshold
        return self.client.post("/admin/guard/rules", data=data, headers=HTML, follow_redirects=False)

    def add(self, list_kind: str, pattern: str, *, regex: bool = False, entity_type: str = "CONFIDENTIAL",
            note: str = ""):
        data = {"csrf": self.csrf(), "list_kind": list_kind, "pattern": pattern, "entity_type": entity_type,
                "note": note}
        if regex:
            data["is_regex"] = "1"
        return self.client.post("/admin/guard/terms", data=data, headers=HTML, follow_redirects=False)


class Employee:
    """Chats through /chat/stream in a client of its own, and through /v1 with a token."""

    def __init__(self, env: AppEnv, username: str = "erika") -> None:
        user = env.user(username)
        self.client = TestClient(env.app)
        assert login(self.client, username).status_code == 303
        self.csrf = chat_csrf(self.client)
        self.token = env.token(user)

    def web(self, prompt: str) -> list[dict]:
        response, events = stream(self.client, self.csrf, prompt)
        assert response.status_code == 200, response.text
        return events

    def api(self, prompt: str):
        return self.client.post("/v1/chat/completions", headers={"Authorization": f"Bearer {self.token}"},
                                json={"model": "fake", "messages": [{"role": "user", "content": prompt}]})
