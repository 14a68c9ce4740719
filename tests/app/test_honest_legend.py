"""The legend counts distinct values and tells replaced from masked; the API names kinds as the page does."""
from __future__ import annotations

import yaml

from tests.app.test_pages import chat_csrf, login, stream


def test_a_name_repeated_many_times_counts_once(env):
    env.user("erika")
    login(env.client)
    prompt = " ".join(["Frau Anna Schneider hat angerufen."] * 40)
    _, events = stream(env.client, chat_csrf(env.client), prompt)
    sent = next(e for e in events if e["type"] == "sent")
    assert sent["legend_de"] == "1 Name wurde ersetzt"
    assert sent["summary"] == {"PERSON": 1}


def test_masked_values_are_not_called_replaced(make_env, tmp_path):
    from app.guard_setup import guard_from_settings
    from app.settings import Settings

    policy = tmp_path / "policy.yaml"
    policy.write_text(yaml.safe_dump({"actions": {"EMAIL_ADDRESS": "mask"}}), encoding="utf-8")
    env = make_env(app_guard=guard_from_settings(Settings(guard_policy_file=policy)))
    env.user("erika")
    login(env.client)
    _, events = stream(env.client, chat_csrf(env.client),
                       "Frau Anna Schneider schreibt von anna.schneider@example.org und anna.schneider@example.org.")
    sent = next(e for e in events if e["type"] == "sent")
    assert "1 E-Mail-Adresse wurde unkenntlich gemacht" in sent["legend_de"]
    assert "1 Name wurde ersetzt" in sent["legend_de"]
    assert "made unrecognisable" in sent["legend_en"]


def test_the_api_block_message_uses_the_page_labels(make_env, blocking_guard):
    env = make_env(app_guard=blocking_guard)
    token = env.token(env.user("erika"))
    response = env.client.post("/v1/chat/completions", headers={"authorization": f"Bearer {token}"},
                               json={"model": "fake", "messages": [
                                   {"role": "user", "content": "Überweisung auf DE89 3704 0044 0532 0130 00"}]})
    assert response.status_code == 400
    error = response.json()["error"]
    assert "(IBAN)" in error["message_de"] and "IBAN_CODE" not in error["message_de"]
    assert "(IBAN)" in error["message_en"] and "IBAN_CODE" not in error["message_en"]
    assert error["entity_types"] == ["IBAN_CODE"]
