"""The last look before sending, in a real browser: on by default, the person marks a word the
guard missed, and the model receives a placeholder for it."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.app.browser.support import sign_in, wait_for_answer

pytestmark = pytest.mark.browser

MISSED = "Bitte fragen Sie Mareike, ob der Bescheid für Frau Anna Schmidt heute rausgeht."


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 850}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_mark_a_missed_word_in_the_preview_and_the_model_sees_a_placeholder(page, live_server, user, upstream,
                                                                            viewport):
    page.set_viewport_size(viewport)
    sign_in(page, live_server, user, preview=True)
    expect(page.get_by_label("Vor dem Senden prüfen")).to_be_checked()
    page.get_by_label("Ihre Nachricht").fill(MISSED)
    page.get_by_role("button", name="Senden", exact=True).click()

    panel = page.locator("#preview-panel")
    expect(panel).to_be_visible()
    shown = page.locator("#preview-text")
    expect(shown).to_contain_text("[PERSON_1]")          # the guard found Anna Schmidt
    expect(shown).not_to_contain_text("Anna Schmidt")
    assert upstream.requests == [], "nothing may leave before the person confirms"

    page.get_by_label("Weitere Angabe markieren").fill("Mareike")
    page.get_by_label("Art", exact=True).select_option("PERSON")
    page.get_by_role("button", name="Markieren", exact=True).click()
    expect(page.locator("#mark-list")).to_contain_text("Mareike")
    expect(shown).not_to_contain_text("Mareike")
    page.get_by_role("button", name="Jetzt senden").click()

    answer = wait_for_answer(page, 0)
    expect(answer).to_contain_text("Mareike")            # restored for the person only
    sent = upstream.requests[-1]["messages"][-1]["content"]
    assert "Mareike" not in sent and "Anna" not in sent and "Schmidt" not in sent
    assert "[PERSON_2]" in sent and "[PERSON_1]" in sent


def test_the_preview_can_be_left_and_switched_off(page, live_server, user, upstream):
    sign_in(page, live_server, user, preview=True)
    box = page.get_by_label("Ihre Nachricht")
    box.fill("Was ist ein Verwaltungsakt?")
    box.press("Enter")
    expect(page.locator("#preview-panel")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#preview-panel")).to_be_hidden()
    expect(box).to_have_value("Was ist ein Verwaltungsakt?")
    assert upstream.requests == []

    page.get_by_label("Vor dem Senden prüfen").uncheck()
    page.reload()
    expect(page.get_by_label("Vor dem Senden prüfen")).not_to_be_checked()   # kept for this person
    page.get_by_label("Ihre Nachricht").fill("Was ist ein Verwaltungsakt?")
    page.get_by_role("button", name="Senden", exact=True).click()
    wait_for_answer(page, 0)
    assert len(upstream.requests) == 1
