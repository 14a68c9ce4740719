"""IT adds a model in the browser, tests the connection, and an employee chats with it at once.

Real uvicorn, real chromium, the fake upstream over HTTP: the key typed into the form is the
one the upstream receives, the form never shows it again, and the pages pass axe's WCAG rules.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.app.browser.support import send, sign_in, wait_for_answer

pytestmark = pytest.mark.browser

KEY = "sk-browser-Schluessel-0815"


def _violations(page) -> list[str]:
    from tests.app.browser.test_accessibility import violations

    return violations(page)


def _fill_form(page, upstream_url: str) -> None:
    page.get_by_label("Kennung").fill("browser-modell")
    page.get_by_label("Anzeigename").fill("Modell aus dem Browser")
    page.get_by_label("Beschreibung für die Beschäftigten").fill("Gut für kurze Entwürfe.")
    page.get_by_label("Wo das Modell läuft").fill("EU-Rechenzentrum")
    page.get_by_label("Modellbezeichnung (litellm)").fill("openai/fake-model")
    page.get_by_label("Adresse (api_base)").fill(upstream_url)
    page.get_by_label("Hier eingegeben, verschlüsselt gespeichert").check()
    page.get_by_label("API-Schlüssel", exact=True).fill(KEY)
    page.get_by_label("Höchstzahl Tokens je Antwort").fill("300")
    page.get_by_label("Standardmodell (im Chat vorausgewählt)").check()


def test_admin_adds_and_tests_a_model_and_an_employee_chats_with_it(browser, page, live_server, upstream):
    admin = live_server.add_user("it-verwaltung", role="admin")
    sign_in(page, live_server, admin)
    page.goto(f"{live_server.url}/admin/models")
    expect(page.get_by_role("heading", name="Modelle", level=1)).to_be_visible()
    assert _violations(page) == []

    page.get_by_role("link", name="Modell hinzufügen").click()
    assert _violations(page) == []
    # A mistake first: the message stands next to the field and in the summary.
    page.get_by_label("Kennung").fill("browser-modell")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#err-display_name")).to_contain_text("Bitte geben Sie einen Anzeigenamen an")
    expect(page.get_by_label("Anzeigename")).to_have_attribute("aria-invalid", "true")
    assert _violations(page) == []
    # The form with mistakes comes back as 400, which chromium notes in the console; nothing else may.
    assert all("status of 400" in line for line in page.console_errors), page.console_errors
    page.console_errors.clear()

    _fill_form(page, upstream.base_url)
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Das Modell wurde angelegt.")
    row = page.locator("#model-browser-modell")
    expect(row).to_contain_text("Aktiv")
    expect(row).to_contain_text("Standardmodell")
    expect(row).to_contain_text("Ein Schlüssel ist hinterlegt")

    row.get_by_role("button", name="Verbindung testen: Modell aus dem Browser").click()
    result = page.locator("#test-result")
    expect(result).to_contain_text("Verbindung funktioniert.")
    expect(result).to_have_text(re.compile(r"nach \d+ ms geantwortet"))
    assert upstream.requests[-1].headers["authorization"] == f"Bearer {KEY}"
    assert _violations(page) == []

    # The form never shows the key again.
    row.get_by_role("link", name="Bearbeiten: Modell aus dem Browser").click()
    expect(page.locator("#key-stored-note")).to_contain_text("Ein Schlüssel ist hinterlegt")
    assert KEY not in page.content()
    assert _violations(page) == []
    page.goto(f"{live_server.url}/admin/models")
    row.get_by_role("link", name="Löschen: Modell aus dem Browser").click()
    expect(page.get_by_role("button", name="Endgültig löschen")).to_be_visible()
    assert _violations(page) == []  # the confirmation page; the model stays

    # An employee, in a browser of their own, finds it preselected and chats with it.
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    try:
        employee = context.new_page()
        sign_in(employee, live_server, live_server.add_user("sachbearbeiterin"))
        expect(employee.locator("#model")).to_have_value("browser-modell")
        before = len(upstream.requests)
        send(employee, "Bitte formulieren Sie eine kurze Einladung zur Teamsitzung.")
        turn = wait_for_answer(employee, 0)
        expect(turn).to_contain_text("Modell aus dem Browser")
    finally:
        context.close()
    chat_call = upstream.requests[before]
    assert chat_call.headers["authorization"] == f"Bearer {KEY}"
    assert chat_call["max_tokens"] == 300
    assert "Teamsitzung" in chat_call["messages"][-1]["content"]
    assert page.console_errors == []


def test_the_models_pages_in_english_pass_axe(page, live_server):
    admin = live_server.add_user("it-english", role="admin")
    sign_in(page, live_server, admin)
    page.goto(f"{live_server.url}/admin/models")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Models", level=1)).to_be_visible()
    assert _violations(page) == []
    page.goto(f"{live_server.url}/admin/models/new")
    assert _violations(page) == []
