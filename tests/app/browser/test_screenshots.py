"""The README's screenshots, taken from the real app (run with SPIELRAUM_SCREENSHOTS=docs/screenshots).

Skipped in normal runs; the states they show are each covered by their own tests.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.app.browser.support import NAME, send

pytestmark = pytest.mark.browser
TARGET = os.environ.get("SPIELRAUM_SCREENSHOTS")

ANSWER = ("Gern. Hier ein Entwurf für die Zahlungserinnerung an Frau [PERSON_1]:\n\n"
          "**Betreff:** Freundliche Erinnerung an die offene Gebühr\n\n"
          "| Posten | Betrag |\n|:--|--:|\n| Verwaltungsgebühr | 45,00 € |\n| Auslagen | 5,00 € |\n\n"
          "Bitte überweisen Sie den Betrag bis zum 15. Januar auf das Ihnen bekannte Konto "
          "[IBAN_CODE_1]. Bei Fragen erreichen Sie uns unter [PHONE_NUMBER_1].")
PROMPT = (f"Bitte formulieren Sie eine freundliche Zahlungserinnerung an Frau {NAME}, "
          "IBAN DE89 3704 0044 0532 0130 00, Telefon +49 30 12345678.")


@pytest.mark.skipif(not TARGET, reason="set SPIELRAUM_SCREENSHOTS=<folder> to take the README's screenshots")
@pytest.mark.parametrize("size, viewport", [("desktop", {"width": 1366, "height": 850}),
                                            ("phone", {"width": 390, "height": 844})])
def test_take_screenshots(chat, upstream, live_server, size, viewport):
    folder = Path(TARGET)
    folder.mkdir(parents=True, exist_ok=True)
    chat.set_viewport_size(viewport)
    chat.goto(f"{live_server.url}/")
    chat.screenshot(path=str(folder / f"{size}-1-new-chat.png"))

    upstream.behaviour = "reply"
    upstream.reply_text = ANSWER
    send(chat, PROMPT)
    turn = chat.locator("article.turn").nth(0)
    expect(turn.locator(".turn-actions")).to_be_visible()
    chat.wait_for_timeout(300)
    chat.screenshot(path=str(folder / f"{size}-2-answer.png"))

    turn.locator("details.sent-panel summary").scroll_into_view_if_needed()
    chat.screenshot(path=str(folder / f"{size}-3-what-was-sent.png"))

    if size == "phone":
        chat.get_by_role("button", name="Unterhaltungen").click()
    chat.locator(".conversation-item summary").first.click()
    chat.screenshot(path=str(folder / f"{size}-4-conversations.png"))
    if size == "desktop":
        chat.keyboard.press("Escape")
        chat.goto(chat.url)
        chat.get_by_role("button", name="English").click()
        expect(chat.locator("html")).to_have_attribute("lang", "en")
        chat.wait_for_timeout(300)
        chat.screenshot(path=str(folder / f"{size}-5-english.png"))
