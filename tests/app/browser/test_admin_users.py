"""The users and groups pages in Chromium: keyboard-usable forms, no axe violation, both languages."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.app.browser.support import sign_in
from tests.app.browser.test_accessibility import violations

pytestmark = pytest.mark.browser


def test_an_admin_creates_a_user_and_a_group_and_locks_the_user(page, live_server):
    admin = live_server.add_user("it-admin", role="admin")
    sign_in(page, live_server, admin)
    page.goto(f"{live_server.url}/admin/groups")
    assert violations(page) == []
    page.get_by_label("Name", exact=True).fill("Sozialamt")
    page.get_by_role("button", name="Gruppe anlegen").click()
    expect(page.get_by_role("status")).to_contain_text("Die Gruppe wurde angelegt.")
    assert violations(page) == []

    page.goto(f"{live_server.url}/admin/users")
    assert violations(page) == []
    # A typed password that breaks the rule: the error sits next to the field and in the summary.
    page.get_by_label("Benutzername", exact=True).fill("neue-kollegin")
    page.get_by_label("Passwort (optional)").fill("passwort2024")
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.locator("#new-password-error")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Das Passwort wird nicht akzeptiert")
    assert violations(page) == []
    # Generated instead, with the group, by keyboard.
    page.get_by_label("Passwort (optional)").fill("")
    page.get_by_label("Sozialamt").check()
    page.get_by_label("Benutzername", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#one-time-password")).to_have_value(re.compile(r".{12,}"))
    assert violations(page) == []

    page.get_by_role("button", name="Konto sperren").click()
    expect(page.locator("#user-status")).to_have_text("gesperrt")
    assert violations(page) == []
    page.get_by_role("button", name="English").click()
    expect(page.locator("#user-status")).to_have_text("locked")
    assert violations(page) == []
    # The refused form answered 400 on purpose; anything else (a script error, a CSP report) is a fault.
    assert [e for e in page.console_errors if "status of 400" not in e] == []
