"""Pseudonymous by default; revealing a user name needs the setting, a stated reason, and is audited."""
from __future__ import annotations

import json

from sqlmodel import select

from app.storage.tables import AuditEntry, Exchange
from tests.app.dpo.support import chat_as, sign_in_dpo
from tests.app.test_pages import HTML

PLAIN = "Wie formuliere ich eine höfliche Absage für einen Termin?"


def _exchange_id(env) -> int:
    with env.session() as session:
        return session.exec(select(Exchange)).one().id


def test_names_stay_hidden_when_the_setting_is_off(env):
    chat_as(env, "erika", [PLAIN])
    csrf = sign_in_dpo(env)
    exchange_id = _exchange_id(env)
    page = env.client.get(f"/dpo/exchanges/{exchange_id}", headers=HTML).text
    assert 'id="reveal-form"' not in page and "erika" not in page.split("<main")[1]
    response = env.client.post(f"/dpo/exchanges/{exchange_id}/reveal",
                               data={"reason": "Beschwerde der Person vom 3. Dezember", "csrf": csrf})
    assert response.status_code == 403 and response.json()["error"]["code"] == "reveal_disabled"


def test_revealing_a_name_needs_a_reason_and_is_audited(make_env):
    env = make_env(dpo_reveal_users=True)
    chat_as(env, "erika", [PLAIN])
    csrf = sign_in_dpo(env)
    exchange_id = _exchange_id(env)
    assert 'id="reveal-form"' in env.client.get(f"/dpo/exchanges/{exchange_id}", headers=HTML).text
    short = env.client.post(f"/dpo/exchanges/{exchange_id}/reveal", data={"reason": "weil", "csrf": csrf})
    assert short.status_code == 400 and short.json()["error"]["code"] == "reason_required"
    reason = "Auskunftsersuchen von Anna Schmidt nach Art. 15"
    page = env.client.post(f"/dpo/exchanges/{exchange_id}/reveal", data={"reason": reason, "csrf": csrf},
                           headers=HTML)
    assert page.status_code == 200 and '<strong id="revealed-name">erika</strong>' in page.text
    with env.session() as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "reveal_user")).one()
    detail = json.loads(entry.detail)
    assert entry.target.startswith("U-") and detail["exchange_id"] == exchange_id
    assert "Art. 15" in detail["reason"] and "Anna Schmidt" not in detail["reason"], "reason pseudonymised"
    assert "erika" not in entry.detail
