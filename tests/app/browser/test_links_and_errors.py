"""Addresses a person keeps: deep links through sign-in, the language switch in a new
conversation, and error pages that keep the navigation."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.app.browser.support import PASSWORD, send, wait_for_answer

pytestmark = pytest.mark.browser


def test_a_deep_link_opened_while_signed_out_lands_there_after_sign_in(chat, browser, live_server, user, upstream):
    send(chat, "Frage zur Gewerbeanmeldung.")
    wait_for_answer(chat, 0)
    expect(chat).to_have_url(re.compile(r"/c/\d+$"))
    link = chat.url

    context = browser.new_context(locale="de-DE")
    try:
        page = context.new_page()
        page.goto(link)
        expect(page).to_have_url(re.compile(r"/login\?next="))
        page.get_by_label("Benutzername").fill(user)
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_url(link)
        expect(page.locator("article.turn .msg-user")).to_contain_text("Gewerbeanmeldung")
    finally:
        context.close()


def test_switching_language_after_sending_stays_in_the_conversation(chat, upstream):
    send(chat, "Frage zur Hundesteuer.")
    wait_for_answer(chat, 0)
    address = chat.url
    chat.get_by_role("button", name="English").click()
    expect(chat.locator("html")).to_have_attribute("lang", "en")
    assert chat.url == address
    expect(chat.locator("article.turn .msg-user")).to_contain_text("Hundesteuer")


def test_a_missing_page_keeps_the_navigation_of_a_signed_in_person(chat, live_server, user):
    chat.goto(f"{live_server.url}/c/abc")
    expect(chat.get_by_role("alert")).to_have_text("Diese Seite oder Unterhaltung wurde nicht gefunden.")
    expect(chat.get_by_role("button", name="Abmelden")).to_be_visible()
    expect(chat.locator(".whoami")).to_contain_text(user)
    expect(chat.get_by_role("link", name="Zurück zum Chat")).to_be_visible()
