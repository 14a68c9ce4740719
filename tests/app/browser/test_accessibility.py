"""axe-core (WCAG 2.1 A/AA rules) finds no violation on any page, in both languages.

axe-core ships inside the `axe-playwright-python` wheel, so nothing is fetched at run time.
Automated rules catch contrast, labels, landmarks, ARIA misuse and duplicate ids; the
keyboard and focus tests in test_chat_flow.py cover what axe cannot see.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.app.browser.support import PROMPT, send, wait_for_answer

pytestmark = pytest.mark.browser
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                 reason="axe-playwright-python (bundles axe-core) is not installed")

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"]}


def violations(page) -> list[str]:
    results = axe_module.Axe().run(page, options=WCAG)
    found = []
    for violation in results.response["violations"]:
        targets = [", ".join(node["target"]) for node in violation["nodes"]][:3]
        found.append(f"{violation['id']}: {violation['help']} -> {targets}")
    return found


def test_login_page(page, live_server):
    page.goto(f"{live_server.url}/login")
    assert violations(page) == []
    page.get_by_label("Benutzername").fill("niemand")
    page.get_by_label("Passwort").fill("falsch-falsch")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert violations(page) == []


def test_login_page_after_too_many_attempts(page, live_server):
    """The throttled sign-in (429) tells the person in words how long to wait."""
    page.goto(f"{live_server.url}/login")
    for _ in range(5):
        page.get_by_label("Benutzername").fill("gesperrt")
        page.get_by_label("Passwort").fill("falsch-falsch-falsch")
        page.get_by_role("button", name="Anmelden").click()
        expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Zu viele fehlgeschlagene Anmeldeversuche")
    assert violations(page) == []


def test_chat_page_before_and_after_a_turn(chat, upstream):
    assert violations(chat) == []
    send(chat, PROMPT)
    wait_for_answer(chat, 0)
    assert violations(chat) == []


def test_chat_page_with_an_error_alert(chat, upstream):
    upstream.behaviour = "error_500"
    send(chat, "Eine Frage ohne Antwort.")
    expect(chat.get_by_role("alert")).to_be_visible()
    assert violations(chat) == []


def test_about_and_error_pages_in_english(page, live_server):
    page.goto(f"{live_server.url}/about")
    assert violations(page) == []
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert violations(page) == []
    page.goto(f"{live_server.url}/does-not-exist")
    expect(page.get_by_role("alert")).to_be_visible()
    assert violations(page) == []


def test_account_page_in_both_languages(chat, live_server):
    chat.goto(f"{live_server.url}/account")
    assert violations(chat) == []
    # With an error alert, a new token shown once and the token list.
    chat.get_by_label("Aktuelles Passwort").fill("falsch-falsch-falsch")
    chat.get_by_label("Neues Passwort", exact=True).fill("Ein-neues-Passwort-9")
    chat.get_by_label("Neues Passwort wiederholen").fill("Ein-neues-Passwort-9")
    chat.get_by_role("button", name="Passwort ändern").click()
    expect(chat.get_by_role("alert")).to_be_visible()
    assert violations(chat) == []
    chat.get_by_role("button", name="Neues Token erstellen").click()
    expect(chat.locator("#new-token-box")).to_be_visible()
    assert violations(chat) == []
    chat.get_by_label("English").check()
    chat.get_by_role("button", name="Sprache speichern").click()
    expect(chat.locator("html")).to_have_attribute("lang", "en")
    expect(chat.get_by_role("heading", name="Your account")).to_be_visible()
    assert violations(chat) == []


def test_account_page_on_first_sign_in(page, live_server):
    from app.accounts.provisioning import add_user

    generated = add_user(live_server.app.state.engine, "erstanmeldung", "employee", None)
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Benutzername").fill("erstanmeldung")
    page.get_by_label("Passwort").fill(generated)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{live_server.url}/account?first=1")
    assert violations(page) == []


def test_old_conversation_without_mapping(chat, browser, live_server, user, upstream):
    send(chat, PROMPT)
    wait_for_answer(chat, 0)
    chat.evaluate("sessionStorage.clear()")
    chat.reload()
    expect(chat.locator("#no-vault-notice")).to_be_visible()
    assert violations(chat) == []


@pytest.mark.parametrize("lang", ["de", "en"])
def test_dpo_desk_pages(page, live_server, upstream, lang):
    from tests.app.browser.support import sign_in

    dpo = live_server.add_user(f"datenschutz-axe-{lang}", role="dpo")
    sign_in(page, live_server, dpo)
    send(page, PROMPT)
    wait_for_answer(page, 0)
    if lang == "en":
        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"{live_server.url}/dpo")
    exchange = page.locator("#log-table tbody a").first.get_attribute("href")
    csrf = page.locator('meta[name="csrf-token"]').get_attribute("content")
    # A flag, so the flag list, the report's flag table and the dashboard's "missed" chart have rows.
    page.request.post(f"{live_server.url}{exchange}/flags",
                      form={"kind": "missed", "entity_type": "PERSON", "note": "", "csrf": csrf})
    for path in ("/dpo", "/dpo?verdict=sent&q=PERSON", exchange, "/dpo/flags", "/dpo/stats",
                 "/dpo/stats?by=week", "/dpo/report", "/dpo/record", "/dpo/audit"):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        assert violations(page) == [], path


def test_the_check_itself_sees_a_planted_violation(page, live_server):
    """Guards against a silently broken axe run that would pass every page."""
    page.goto(f"{live_server.url}/about")
    page.evaluate("""() => {
        const input = document.createElement("input");
        input.type = "text";
        document.querySelector("main").appendChild(input);
    }""")
    assert any(found.startswith("label:") for found in violations(page))


# -- learning pages ----------------------------------------------------------------------
def test_library_prompt_form_and_basics_pages(chat, live_server):
    for path in ("/learning/library", "/learning/library?q=Sprache", "/learning/prompts", "/learning/prompts/new",
                 "/learning/basics"):
        chat.goto(f"{live_server.url}{path}")
        assert violations(chat) == [], path
    chat.goto(f"{live_server.url}/learning/library")
    chat.get_by_role("link", name="Einladung zu einer Veranstaltung entwerfen").click()
    assert violations(chat) == []
    chat.goto(f"{live_server.url}/learning/prompts/new")
    chat.get_by_label("Titel").fill("Mit Daten")
    chat.get_by_label("Text des Prompts").fill("Schreiben Sie an Anna Schneider wegen {{Thema}}.")
    chat.get_by_role("button", name="Speichern").click()
    expect(chat.get_by_role("alert")).to_contain_text("Name")
    assert violations(chat) == []


def test_feedback_widget_under_an_answer(chat, upstream):
    send(chat, PROMPT)
    turn = wait_for_answer(chat, 0)
    feedback = turn.locator(".feedback")
    feedback.get_by_role("button", name="Hilfreich", exact=True).click()
    assert violations(chat) == []


def test_curator_pages_in_both_languages(page, live_server):
    from tests.app.browser.support import sign_in

    sign_in(page, live_server, live_server.add_user("redaktion-a11y", role="curator"))
    for path in ("/learning/curate", "/learning/feedback"):
        page.goto(f"{live_server.url}{path}")
        assert violations(page) == [], path
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    for path in ("/learning/library", "/learning/basics", "/learning/feedback"):
        page.goto(f"{live_server.url}{path}")
        assert violations(page) == [], path


def test_board_share_and_compare_pages(chat, live_server, upstream):
    send(chat, PROMPT)
    turn = wait_for_answer(chat, 0)
    turn.get_by_role("link", name="Im Erfahrungsbrett teilen").click()
    assert violations(chat) == []
    chat.get_by_role("button", name="Teilen").click()
    expect(chat.locator(".board-post")).to_have_count(1)
    assert violations(chat) == []
    chat.goto(f"{live_server.url}/learning/compare")
    assert violations(chat) == []


def test_learning_session_pages(chat, live_server, upstream):
    send(chat, "Bitte schreiben Sie eine kurze Antwort an eine Bürgerin.")
    wait_for_answer(chat, 0)
    chat.goto(f"{live_server.url}/learning/sessions")
    assert violations(chat) == []
    chat.get_by_label("Titel").fill("Antwortschreiben")
    chat.get_by_label("Aufgabe").fill("Antwortschreiben an eine Bürgerin")
    chat.get_by_role("button", name="Lern-Session starten").click()
    chat.get_by_role("button", name="Beitragen").click()
    expect(chat.locator(".stored-text")).to_have_count(2)


def test_chat_layouts_menus_and_english_after_a_turn(chat, upstream, live_server):
    send(chat, PROMPT)
    wait_for_answer(chat, 0)
    chat.locator(".conversation-item summary").first.click()
    assert violations(chat) == []
    chat.set_viewport_size({"width": 390, "height": 844})
    chat.reload()
    assert violations(chat) == []
    chat.get_by_role("button", name="Unterhaltungen").click()
    assert violations(chat) == []
    chat.set_viewport_size({"width": 1366, "height": 850})
    chat.get_by_role("button", name="English").click()
    expect(chat.locator("html")).to_have_attribute("lang", "en")
    assert violations(chat) == []
    chat.goto(f"{live_server.url}/?q=Zahlungserinnerung")
    assert violations(chat) == []


def test_error_page_signed_in_and_login_with_a_deep_link(chat, page, live_server):
    chat.goto(f"{live_server.url}/c/999999")
    expect(chat.get_by_role("alert")).to_be_visible()
    assert violations(chat) == []
    chat.context.clear_cookies()
    chat.goto(f"{live_server.url}/c/1")
    expect(chat.get_by_label("Benutzername")).to_be_visible()
    assert violations(chat) == []


def test_chat_with_a_refused_document_and_a_text_one(chat, upstream):
    from tests.app.document_files import scanned_pdf

    chat.locator("#document").set_input_files({"name": "scan.pdf", "mimeType": "application/pdf",
                                               "buffer": scanned_pdf()})
    expect(chat.get_by_role("alert")).to_be_visible()
    assert violations(chat) == []
    chat.locator("#document").set_input_files({"name": "notiz.txt", "mimeType": "text/plain",
                                               "buffer": "Vermerk zur Sitzung".encode()})
    expect(chat.get_by_label("Ihre Nachricht")).to_have_value("Dokument: notiz.txt\n\nVermerk zur Sitzung")
    assert violations(chat) == []


def test_the_preview_before_sending_in_both_languages(page, live_server, user, upstream):
    from tests.app.browser.support import sign_in

    sign_in(page, live_server, user, preview=True)
    page.get_by_label("Ihre Nachricht").fill("Bitte fragen Sie Frau Anna Schmidt nach dem Bescheid.")
    page.get_by_role("button", name="Senden", exact=True).click()
    expect(page.locator("#preview-text")).to_contain_text("[PERSON_1]")
    assert violations(page) == []
    page.keyboard.press("Escape")
    page.get_by_role("button", name="English").click()
    page.get_by_label("Your message").fill("Please ask Ms Anna Schmidt about the notice.")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#preview-text")).to_contain_text("[PERSON_1]")
    assert violations(page) == []


# -- control room: guard policy ----------------------------------------------------------
@pytest.mark.parametrize("lang", ["de", "en"])
def test_admin_guard_pages(page, live_server, upstream, lang):
    """The policy table, the lists (also with an error next to a field), the test console with
    its result, and the capabilities view, used through their labels."""
    from tests.app.browser.support import sign_in

    sign_in(page, live_server, live_server.add_user(f"it-guard-axe-{lang}", role="admin"))
    page.goto(f"{live_server.url}/admin/guard")
    if lang == "en":
        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    assert violations(page) == []
    regex = "Regulärer Ausdruck" if lang == "de" else "Regular expression"
    deny = page.locator("#deny-form")
    deny.locator("#deny-pattern").fill("(a+)+$")
    deny.get_by_label(regex, exact=True).check()
    deny.get_by_role("button").click()
    expect(page.locator("#deny-pattern-error")).to_be_visible()
    expect(page.get_by_role("alert")).to_be_visible()
    assert violations(page) == []
    deny = page.locator("#deny-form")
    deny.locator("#deny-pattern").fill(rf"AXE-{lang}-\d{{4}}")
    deny.get_by_role("button").click()
    expect(page.locator("#guard-saved")).to_be_visible()
    expect(page.locator("#deny-table")).to_contain_text(f"AXE-{lang}")
    page.locator("#action-IBAN_CODE").select_option("mask")
    page.locator("#rules-form button[type=submit]").click()
    expect(page.locator("#guard-saved")).to_be_visible()
    assert violations(page) == []

    page.goto(f"{live_server.url}/admin/guard/test")
    assert violations(page) == []
    page.get_by_label("Text zum Prüfen" if lang == "de" else "Text to check").fill(
        f"Frau Anna Schmidt, Vorgang AXE-{lang}-1234, IBAN DE89 3704 0044 0532 0130 00.")
    page.locator("#test-form button[type=submit]").click()
    expect(page.locator("#test-findings")).to_contain_text("deny_list")
    expect(page.locator("#test-sent")).not_to_contain_text("Anna Schmidt")
    assert violations(page) == []

    page.goto(f"{live_server.url}/admin/guard/capabilities")
    expect(page.locator("#recognizers-table")).to_contain_text("PersonNameRecognizer")
    assert violations(page) == []
    # back to the default for the other tests of this module's server
    page.goto(f"{live_server.url}/admin/guard")
    page.locator("#action-IBAN_CODE").select_option("")
    page.locator("#rules-form button[type=submit]").click()
    expect(page.locator("#guard-saved")).to_be_visible()
