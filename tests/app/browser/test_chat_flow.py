"""The web chat as a person uses it: sign in, ask with personal data, read the answer.

Each test drives Debian's chromium against a real server; the model is a FakeUpstream
that echoes what it received, so the answer shows whatever left the building.
"""
from __future__ import annotations

import json
import os
import re

import pytest
from playwright.sync_api import expect

from tests.app.browser.support import (
    IBAN, NAME, ORIGINAL_FRAGMENTS, PHONE, PROMPT, send, sign_in, wait_for_answer,
)

pytestmark = pytest.mark.browser


def user_messages(upstream) -> list[str]:
    """Every user message the model received, across all recorded requests."""
    messages = []
    for request in upstream.requests:
        for message in request.get("messages", []):
            if message.get("role") == "user":
                messages.append(message.get("content") if isinstance(message.get("content"), str)
                                else json.dumps(message.get("content")))
    return messages


def test_personal_data_is_replaced_before_sending_and_restored_in_the_answer(chat, upstream):
    send(chat, PROMPT, shortcut=True)
    turn = wait_for_answer(chat, 0)

    answer = turn.locator(".msg-assistant .msg-body")
    for original in (NAME, IBAN, PHONE):
        expect(answer).to_contain_text(original)

    panel = turn.locator("details.sent-panel")
    expect(panel).to_have_attribute("open", "")
    sent = panel.locator(".sent-text")
    sent_text = sent.inner_text()
    for placeholder in ("[PERSON_1]", "[IBAN_CODE_1]", "[PHONE_NUMBER_1]"):
        assert placeholder in sent_text
    for fragment in ORIGINAL_FRAGMENTS:
        assert fragment not in sent_text
    assert sent.locator("mark.ph").count() == 3
    legend = panel.locator("summary .sent-legend")
    expect(legend).to_contain_text("1 Name")
    expect(legend).to_contain_text("1 IBAN")
    expect(legend).to_contain_text("1 Telefonnummer")
    expect(legend).to_contain_text("wurden ersetzt")

    received = upstream.all_text()
    assert "[PERSON_1]" in received and "[IBAN_CODE_1]" in received
    for fragment in ORIGINAL_FRAGMENTS:
        assert fragment not in received, f"{fragment!r} reached the model"

    expect(chat.get_by_label("Ihre Nachricht")).to_have_value("")
    expect(chat.locator("#chat-status")).to_have_text("Die Antwort ist vollständig.")
    expect(chat).to_have_url(re.compile(r"/c/\d+$"))
    assert chat.console_errors == []
    expect(chat.locator("#conversation-list a[aria-current=page]")).to_contain_text("Zahlungserinnerung")
    if os.environ.get("SPIELRAUM_SCREENSHOT"):
        panel.locator("summary").scroll_into_view_if_needed()
        chat.screenshot(path=os.environ["SPIELRAUM_SCREENSHOT"])


def test_second_turn_reuses_the_placeholder_of_the_same_name(chat, upstream):
    send(chat, PROMPT)
    wait_for_answer(chat, 0)
    send(chat, f"Und bitte noch eine zweite, strengere Erinnerung an Frau {NAME}.")
    second = wait_for_answer(chat, 1)

    expect(second.locator(".sent-text")).to_contain_text("[PERSON_1]")
    expect(second.locator(".sent-text")).not_to_contain_text("[PERSON_2]")
    expect(second.locator(".msg-assistant .msg-body")).to_contain_text(NAME)
    last_prompt = user_messages(upstream)[-1]
    assert "[PERSON_1]" in last_prompt and "Schneider" not in last_prompt
    # The second request carried the first, pseudonymised exchange as history.
    assert any("[IBAN_CODE_1]" in m for m in user_messages(upstream)[:-1])
    for fragment in ORIGINAL_FRAGMENTS:
        assert fragment not in upstream.all_text()


def test_old_conversation_shows_originals_only_where_the_browser_kept_the_mapping(
        chat, browser, live_server, user, upstream):
    send(chat, PROMPT)
    wait_for_answer(chat, 0)
    conversation_url = chat.url

    chat.reload()
    expect(chat.locator("article.turn .msg-user")).to_contain_text(NAME)
    expect(chat.locator("#no-vault-notice")).to_have_count(0)

    other = browser.new_context(locale="de-DE")
    try:
        page = other.new_page()
        sign_in(page, live_server, user)
        page.goto(conversation_url)
        expect(page.locator("#no-vault-notice")).to_be_visible()
        user_body = page.locator("article.turn .msg-user .msg-body")
        expect(user_body.locator("mark.ph", has_text="[PERSON_1]")).to_be_visible()
        expect(user_body).not_to_contain_text("Schneider")
        expect(page.locator("article.turn .msg-assistant")).to_contain_text("[IBAN_CODE_1]")
        expect(page.locator("#conversation-list")).not_to_contain_text("Schneider")
    finally:
        other.close()


def test_upstream_failure_keeps_the_typed_prompt_and_says_what_to_do(chat, upstream):
    upstream.behaviour = "error_500"
    text = "Bitte fassen Sie den Haushaltsplan 2026 in drei Sätzen zusammen."
    send(chat, text)

    alert = chat.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("erneut")
    expect(chat.get_by_label("Ihre Nachricht")).to_have_value(text)
    expect(chat.get_by_role("button", name="Senden")).to_be_enabled()
    expect(chat.locator("article.turn .turn-note")).to_be_visible()


def test_markup_in_an_answer_is_shown_as_text_and_never_runs(chat, upstream):
    upstream.behaviour = "reply"
    upstream.reply_text = (
        "Echo: Hallo **fett** und *kursiv*.\n\n"
        "<script>window.__pwned = 1</script> <img src=x onerror=\"window.__pwned = 2\">\n\n"
        "- [harmlos](https://example.org/hilfe)\n- [böse](javascript:window.__pwned=3)\n\n"
        "```\n<b>kein HTML</b>\n```")
    send(chat, "Bitte antworten Sie mit Formatierung.")
    turn = wait_for_answer(chat, 0)
    answer = turn.locator(".msg-assistant .msg-body")

    expect(answer).to_contain_text("<script>window.__pwned = 1</script>")
    expect(answer).to_contain_text('<img src=x onerror="window.__pwned = 2">')
    expect(answer.locator("strong")).to_have_text("fett")
    expect(answer.locator("em")).to_have_text("kursiv")
    expect(answer.locator("pre code")).to_have_text("<b>kein HTML</b>")
    assert answer.locator("script, img, b").count() == 0
    links = answer.locator("a")
    expect(links).to_have_count(1)
    expect(links).to_have_attribute("href", "https://example.org/hilfe")
    assert "noopener" in links.get_attribute("rel")
    chat.wait_for_timeout(200)  # give any injected handler the chance it must not get
    assert chat.evaluate("window.__pwned") is None
    assert chat.console_errors == []


def test_keyboard_reaches_prompt_and_send_with_visible_labels_and_focus(chat):
    reached = []
    for _ in range(40):
        chat.keyboard.press("Tab")
        focused = chat.evaluate("document.activeElement.id || document.activeElement.tagName")
        reached.append(focused)
        if focused == "send":
            break
    assert "prompt" in reached and "send" in reached
    assert reached.index("prompt") < reached.index("send")

    expect(chat.locator("label[for=prompt]")).to_be_visible()
    expect(chat.locator("label[for=prompt]")).to_have_text("Ihre Nachricht")
    expect(chat.locator("label[for=model]")).to_be_visible()
    expect(chat.locator("#send")).to_be_visible()
    outline = chat.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()")
    assert outline[0] != "none" and outline[1] >= 2

    chat.keyboard.press("Shift+Tab")
    assert chat.evaluate("document.activeElement.id") == "model"


def test_skip_link_is_first_and_visible_when_focused(chat):
    chat.keyboard.press("Tab")
    skip = chat.locator(".skip-link")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0
    chat.keyboard.press("Enter")
    expect(chat.locator("#content")).to_be_focused()


def test_language_switch_to_english_and_back(chat, live_server):
    expect(chat.locator("html")).to_have_attribute("lang", "de")
    chat.get_by_role("button", name="English").click()
    expect(chat.locator("html")).to_have_attribute("lang", "en")
    expect(chat.get_by_label("Your message")).to_be_visible()
    expect(chat.get_by_role("button", name="Send", exact=True)).to_be_visible()
    expect(chat.locator(".banner")).to_contain_text("A protected space to experiment")

    chat.get_by_role("button", name="Sign out").click()
    chat.wait_for_url(f"{live_server.url}/login")
    expect(chat.get_by_role("heading", name="Sign in")).to_be_visible()

    chat.get_by_role("button", name="Deutsch").click()
    expect(chat.locator("html")).to_have_attribute("lang", "de")
    expect(chat.get_by_role("heading", name="Anmelden")).to_be_visible()


def test_model_picker_offers_only_the_models_of_the_role(chat, page, browser, live_server):
    options = chat.locator("#model option")
    expect(options).to_have_count(1)
    expect(options).to_have_text("Echo (Test)")

    admin = live_server.add_user("admin-ohne-modell", role="admin")
    context = browser.new_context(locale="de-DE")
    try:
        other = context.new_page()
        sign_in(other, live_server, admin)
        expect(other.locator("#empty-catalogue")).to_be_visible()
        expect(other.locator("#empty-catalogue")).to_contain_text("kein Modell")
        expect(other.locator("#prompt")).to_have_count(0)
    finally:
        context.close()


def test_a_dpo_sees_both_models_and_their_descriptions(page, live_server):
    sign_in(page, live_server, live_server.add_user("datenschutz", role="dpo"))
    picker = page.get_by_label("Modell", exact=True)
    expect(picker.locator("option")).to_have_text(["Echo (Test)", "Nur Datenschutz"])
    expect(page.locator("#model-description")).to_have_text("Wiederholt Ihre Nachricht, zum Ausprobieren.")
    picker.select_option("dpo-only")
    expect(page.locator("#model-description")).to_have_text("Nur für den Datenschutz freigegeben.")


def test_narrow_screen_keeps_the_composer_usable(chat):
    chat.set_viewport_size({"width": 360, "height": 740})
    expect(chat.get_by_label("Ihre Nachricht")).to_be_visible()
    width = chat.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page scrolls sideways ({width}px)"


def test_signing_out_forgets_the_originals_kept_in_this_tab(chat, live_server, upstream):
    send(chat, PROMPT)
    wait_for_answer(chat, 0)
    kept = chat.evaluate("Object.keys(sessionStorage)")
    assert any(key.startswith("spielraum.vault.") for key in kept)
    assert NAME in chat.evaluate("JSON.stringify(sessionStorage)")

    chat.get_by_role("button", name="Abmelden").click()
    chat.wait_for_url(f"{live_server.url}/login")
    assert NAME not in chat.evaluate("JSON.stringify(sessionStorage)")
    assert not any(key.startswith("spielraum.vault.") for key in chat.evaluate("Object.keys(sessionStorage)"))


def test_a_stream_cut_mid_answer_keeps_the_prompt_and_the_partial_answer(chat, upstream):
    upstream.behaviour = "broken_stream"
    text = "Bitte erklären Sie das Verwaltungsverfahrensgesetz."
    send(chat, text)
    alert = chat.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Ihre Nachricht ist noch im Eingabefeld.")
    expect(chat.get_by_label("Ihre Nachricht")).to_have_value(text)
    expect(chat.locator("article.turn .turn-note")).to_have_text("Diese Nachricht wurde nicht beantwortet.")


def test_an_expired_sign_in_keeps_the_prompt_and_says_how_to_continue(chat, upstream):
    chat.context.clear_cookies()
    text = "Was ist ein Verwaltungsakt?"
    send(chat, text)
    alert = chat.get_by_role("alert")
    expect(alert).to_contain_text("Ihre Anmeldung ist abgelaufen")
    expect(chat.get_by_label("Ihre Nachricht")).to_have_value(text)
    expect(chat.locator("article.turn")).to_have_count(0)
    assert upstream.requests == []


def test_an_empty_prompt_is_not_sent(chat, upstream):
    chat.get_by_label("Ihre Nachricht").fill("   ")
    chat.get_by_role("button", name="Senden").click()
    expect(chat.get_by_role("alert")).to_have_text("Bitte geben Sie zuerst eine Nachricht ein.")
    expect(chat.get_by_label("Ihre Nachricht")).to_be_focused()
    assert upstream.requests == []
