"""A prompt the policy blocks: nothing is sent, the typed text stays, an alert explains why."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# This module's server blocks IBANs outright instead of replacing them.
GUARD_POLICY = {"actions": {"IBAN_CODE": "block"}}


def test_blocked_prompt_keeps_the_text_and_shows_an_alert(chat, upstream):
    text = "Bitte buchen Sie den Betrag auf die IBAN DE89 3704 0044 0532 0130 00 zurück."
    chat.get_by_label("Ihre Nachricht").fill(text)
    chat.get_by_role("button", name="Senden").click()

    alert = chat.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("nicht gesendet")
    expect(alert).to_contain_text("IBAN")
    expect(chat.get_by_label("Ihre Nachricht")).to_have_value(text)
    expect(chat.locator("article.turn")).to_have_count(0)
    assert [r for r in upstream.requests if r.path.endswith("/chat/completions")] == []

    # Editing the prompt and sending again works, and the alert goes away.
    chat.get_by_label("Ihre Nachricht").fill("Bitte buchen Sie den Betrag zurück.")
    chat.get_by_role("button", name="Senden").click()
    expect(chat.locator("article.turn .msg-assistant")).to_contain_text("Echo:")
    expect(chat.get_by_role("alert")).to_be_hidden()


def test_after_a_blocked_attempt_the_earlier_turn_is_no_longer_replaceable(chat, upstream):
    from tests.app.browser.support import send, wait_for_answer

    send(chat, "Bitte erklären Sie die Gebührenordnung.")
    turn = wait_for_answer(chat, 0)
    expect(turn.get_by_role("button", name="Neu erzeugen")).to_be_visible()
    send(chat, "Und buchen Sie auf DE89 3704 0044 0532 0130 00.")
    expect(chat.get_by_role("alert")).to_contain_text("nicht gesendet")
    # The blocked attempt is on record as the conversation's last exchange.
    expect(turn.get_by_role("button", name="Neu erzeugen")).to_have_count(0)
    expect(turn.get_by_role("button", name="Kopieren", exact=True)).to_be_visible()
    chat.reload()
    expect(chat.locator("article.turn").first.get_by_role("button", name="Neu erzeugen")).to_have_count(0)
