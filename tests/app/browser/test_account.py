"""The account page in headless Chromium: change the password by keyboard and mouse, see
another browser signed out, the first sign-in with a generated password, and a new API token
with its copy button."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.accounts.provisioning import add_user
from tests.app.browser.support import PASSWORD, sign_in

pytestmark = pytest.mark.browser
NEW_PASSWORD = "Gruene-Ampel-am-Rathaus-5"


def fill_password_form(page, current: str, new: str, again: str | None = None) -> None:
    page.get_by_label("Aktuelles Passwort").fill(current)
    page.get_by_label("Neues Passwort", exact=True).fill(new)
    page.get_by_label("Neues Passwort wiederholen").fill(new if again is None else again)


def test_change_the_password_and_other_browsers_are_signed_out(page, browser, live_server, user):
    other = browser.new_context(locale="de-DE").new_page()
    sign_in(other, live_server, user)
    sign_in(page, live_server, user)

    page.get_by_role("link", name=re.compile("Konto")).click()
    page.wait_for_url(f"{live_server.url}/account")
    expect(page.get_by_role("heading", name="Ihr Konto")).to_be_visible()

    # A weak password: the rule's message, in an alert, and the form is still there.
    fill_password_form(page, PASSWORD, "Passwort2024!")
    page.get_by_role("button", name="Passwort ändern").click()
    expect(page.get_by_role("alert")).to_contain_text("zu verbreitet")

    # The right way, submitted from the keyboard.
    fill_password_form(page, PASSWORD, NEW_PASSWORD)
    page.get_by_label("Neues Passwort wiederholen").press("Enter")
    page.wait_for_url(f"{live_server.url}/account?done=changed")
    expect(page.locator("#account-notice")).to_contain_text("Ihr Passwort wurde geändert")

    # This browser stays signed in; the other one is sent to the sign-in page.
    page.goto(f"{live_server.url}/")
    expect(page.get_by_label("Ihre Nachricht")).to_be_visible()
    other.goto(f"{live_server.url}/")
    other.wait_for_url(re.compile(r"/login"))
    other.context.close()
    # The refused weak password is a 400 page, which Chromium notes; nothing else may appear.
    assert [e for e in page.console_errors if "status of 400" not in e] == []


def test_a_generated_password_is_replaced_at_first_sign_in(page, live_server):
    generated = add_user(live_server.app.state.engine, "neu-im-amt", "employee", None)
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Benutzername").fill("neu-im-amt")
    page.get_by_label("Passwort").fill(generated)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{live_server.url}/account?first=1")
    expect(page.locator("#password-first-notice")).to_contain_text("eigenes Passwort")
    # The chat is not reachable yet.
    page.goto(f"{live_server.url}/")
    page.wait_for_url(f"{live_server.url}/account?first=1")

    fill_password_form(page, generated, NEW_PASSWORD)
    page.get_by_role("button", name="Passwort ändern").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_label("Ihre Nachricht")).to_be_visible()
    assert page.console_errors == []


def test_create_copy_and_revoke_an_api_token(page, live_server, user):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in(page, live_server, user)
    page.goto(f"{live_server.url}/account")
    page.get_by_label("Bezeichnung").fill("Skript Posteingang")
    page.get_by_role("button", name="Neues Token erstellen").click()
    token = page.get_by_label(re.compile("Neues Token")).input_value()
    assert token.startswith("sr-")
    page.get_by_role("button", name="Token kopieren").click()
    expect(page.locator("#copy-status")).to_have_text("Kopiert.")
    assert page.evaluate("navigator.clipboard.readText()") == token

    page.goto(f"{live_server.url}/account")
    row = page.locator("#token-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Skript Posteingang")
    assert token not in page.content()
    page.get_by_role("button", name="Widerrufen: Skript Posteingang").click()
    expect(page.locator("#account-notice")).to_contain_text("widerrufen")
    expect(page.locator("#no-tokens")).to_be_visible()
    assert page.console_errors == []
