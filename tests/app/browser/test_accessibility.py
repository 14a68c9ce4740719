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


def test_old_conversation_without_mapping(chat, browser, live_server, user, upstream):
    send(chat, PROMPT)
    wait_for_answer(chat, 0)
    chat.evaluate("sessionStorage.clear()")
    chat.reload()
    expect(chat.locator("#no-vault-notice")).to_be_visible()
    assert violations(chat) == []


def test_the_check_itself_sees_a_planted_violation(page, live_server):
    """Guards against a silently broken axe run that would pass every page."""
    page.goto(f"{live_server.url}/about")
    page.evaluate("""() => {
        const input = document.createElement("input");
        input.type = "text";
        document.querySelector("main").appendChild(input);
    }""")
    assert any(found.startswith("label:") for found in violations(page))
