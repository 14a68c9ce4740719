"""The conversation list in the browser: dates, rename, delete, search (desktop and phone)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.app.browser.support import NAME, send, wait_for_answer

pytestmark = pytest.mark.browser


def new_conversation(page, live_server, text: str) -> None:
    page.goto(f"{live_server.url}/")
    send(page, text)
    wait_for_answer(page, 0)


def open_menu(page, title: str):
    item = page.locator(".conversation-item", has_text=title)
    item.locator("summary").click()
    return item


def test_rename_shows_the_new_title_with_the_name_restored_but_stores_the_placeholder(chat, live_server, upstream):
    new_conversation(chat, live_server, f"Bitte ein Schreiben an Frau {NAME} zur Fristverlängerung.")
    item = chat.locator(".conversation-item").first
    expect(item.locator("time")).to_have_text(re.compile(r"^\d{2}:\d{2}$"))
    item.locator("summary").click()
    field = item.get_by_label("Neuer Titel")
    expect(field).to_have_value(re.compile("Anna Schneider"))
    field.fill(f"Frist {NAME}")
    item.get_by_role("button", name="Umbenennen").click()
    expect(item.locator(".conversation-title")).to_have_text(f"Frist {NAME}")
    chat.reload()
    expect(chat.locator(".conversation-item").first.locator(".conversation-title")).to_have_text(f"Frist {NAME}")
    from sqlmodel import Session, select

    from app.storage.tables import Conversation
    with Session(live_server.app.state.engine) as session:
        titles = [c.title for c in session.exec(select(Conversation))]
    assert "Frist [PERSON_1]" in titles and not any("Schneider" in t for t in titles)


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 850}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_delete_asks_first_and_removes_the_conversation(chat, live_server, upstream, viewport):
    chat.set_viewport_size(viewport)
    new_conversation(chat, live_server, "Erste Unterhaltung zum Bauantrag.")
    new_conversation(chat, live_server, "Zweite Unterhaltung zur Hundesteuer.")
    chat.goto(f"{live_server.url}/")
    if viewport["width"] < 600:
        chat.get_by_role("button", name="Unterhaltungen").click()
    expect(chat.locator(".conversation-item")).to_have_count(2)

    chat.once("dialog", lambda dialog: dialog.dismiss())
    item = open_menu(chat, "Bauantrag")
    item.get_by_role("button", name="Unterhaltung löschen").click()
    expect(chat.locator(".conversation-item")).to_have_count(2)

    chat.once("dialog", lambda dialog: dialog.accept())
    item.get_by_role("button", name="Unterhaltung löschen").click()
    expect(chat.locator(".conversation-item")).to_have_count(1)
    expect(chat.locator("#conversation-list")).not_to_contain_text("Bauantrag")
    chat.reload()
    expect(chat.locator(".conversation-item")).to_have_count(1)
    assert chat.console_errors == []


def test_deleting_the_open_conversation_returns_to_a_new_chat(chat, live_server, upstream):
    new_conversation(chat, live_server, "Unterhaltung zur Parkerlaubnis.")
    chat.once("dialog", lambda dialog: dialog.accept())
    item = open_menu(chat, "Parkerlaubnis")
    item.get_by_role("button", name="Unterhaltung löschen").click()
    chat.wait_for_url(f"{live_server.url}/")
    expect(chat.locator(".conversation-item")).to_have_count(0)
    expect(chat.locator("#no-conversations")).to_be_visible()


def test_search_finds_a_conversation_by_its_sent_text(chat, live_server, upstream):
    new_conversation(chat, live_server, "Frage zur Sondernutzungserlaubnis für ein Straßenfest.")
    new_conversation(chat, live_server, "Frage zur Friedhofssatzung.")
    search = chat.get_by_label("Unterhaltungen durchsuchen")
    search.fill("straßenfest")
    search.press("Enter")
    expect(chat.locator(".conversation-item")).to_have_count(1)
    expect(chat.locator(".conversation-item")).to_contain_text("Sondernutzungserlaubnis")
    expect(chat.get_by_role("heading", name="Suchergebnisse")).to_be_visible()
    chat.get_by_role("link", name="Suche aufheben").click()
    expect(chat.locator(".conversation-item")).to_have_count(2)
