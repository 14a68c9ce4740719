"""Log lines are structured and never carry message content."""
from __future__ import annotations

import json
import logging

from app.chat.web_service import ChatTurn
from app.logging_setup import JsonFormatter
from tests.app.conftest import PII_PROMPT, collect_turn, leaked


def test_log_lines_are_json_and_hold_no_personal_data(env, fake_upstream, caplog):
    caplog.set_level(logging.DEBUG)
    user = env.user()
    events = collect_turn(env.app, ChatTurn(user=user, model_id="fake", prompt=PII_PROMPT))
    assert events[-1]["type"] == "done"
    response = env.client.post("/v1/chat/completions", headers={"Authorization": f"Bearer {env.token(user)}"},
                               json={"model": "fake", "messages": [{"role": "user", "content": PII_PROMPT}]})
    assert response.status_code == 200
    fake_upstream.behaviour = "error_500"
    collect_turn(env.app, ChatTurn(user=user, model_id="fake", prompt=PII_PROMPT))

    formatter = JsonFormatter()
    lines = [formatter.format(record) for record in caplog.records]
    entries = [json.loads(line) for line in lines]
    events_logged = {entry["event"] for entry in entries}
    assert {"chat.answered", "chat.upstream_failed", "http.request"} <= events_logged
    # One pipeline: both channels log the same event, told apart by its channel field.
    assert {e.get("channel") for e in entries if e["event"] == "chat.answered"} == {"web", "api"}
    answered = next(e for e in entries if e["event"] == "chat.answered")
    assert answered["user_id"] == user.id and answered["model"] == "fake" and answered["upstream_ms"] >= 0
    assert leaked("\n".join(lines)) == []
    assert leaked("\n".join(record.getMessage() for record in caplog.records)) == []
