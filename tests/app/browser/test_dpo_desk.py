"""The DPO's desk in headless Chromium: sign in, filter the log, open an exchange, flag it,
download an export. The exchange is made first through the real chat page."""
from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.app.browser.support import ORIGINAL_FRAGMENTS, PROMPT, send, sign_in, wait_for_answer

pytestmark = pytest.mark.browser


def test_dpo_filters_opens_flags_and_exports(page, live_server, upstream):
    dpo = live_server.add_user("datenschutz-browser", role="dpo")
    sign_in(page, live_server, dpo)
    send(page, PROMPT)
    wait_for_answer(page, 0)
    send(page, "Eine zweite Frage ganz ohne persönliche Angaben.")
    wait_for_answer(page, 1)

    page.get_by_role("link", name="Datenschutz", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Protokoll der Pseudonymisierung")
    page.get_by_label("Datenart").select_option("IBAN_CODE")
    page.get_by_role("button", name="Filtern").click()
    expect(page).to_have_url(re.compile(r"entity_type=IBAN_CODE"))
    rows = page.locator("#log-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("IBAN_CODE")

    rows.first.get_by_role("link", name=re.compile("Öffnen|Anfrage öffnen")).click()
    expect(page.locator("#prompt-text mark.ph").first).to_be_visible()
    expect(page.locator("#prompt-text")).to_contain_text("[IBAN_CODE_1]")
    for fragment in ORIGINAL_FRAGMENTS:
        expect(page.locator("main")).not_to_contain_text(fragment)

    page.get_by_label("Zu viel ersetzt").check()
    page.get_by_label("Notiz (wird pseudonymisiert gespeichert)").fill("Ortsname unnötig ersetzt.")
    page.get_by_role("button", name="Markieren").click()
    expect(page.get_by_role("status")).to_contain_text("Die Markierung wurde gespeichert.")
    page.get_by_role("link", name="Markierungen", exact=True).click()
    expect(page.locator("#flags-table tbody tr")).to_have_count(1)
    expect(page.locator("#flags-table")).to_contain_text("Zu viel ersetzt")

    page.get_by_role("link", name="Protokoll", exact=True).click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Gefiltertes Protokoll als JSON Lines herunterladen").click()
    download = download_info.value
    assert download.suggested_filename == "spielraum-log.jsonl"
    lines = [json.loads(line) for line in open(download.path(), encoding="utf-8") if line.strip()]
    assert len(lines) == 2
    assert any("[IBAN_CODE_1]" in item["prompt"] for item in lines)
    text = json.dumps(lines, ensure_ascii=False)
    assert not [fragment for fragment in ORIGINAL_FRAGMENTS if fragment in text]

    page.get_by_role("link", name="Prüfprotokoll").click()
    audit = page.locator("#audit-table")
    for action in ("view_exchange", "flag", "export"):
        expect(audit).to_contain_text(action)
    assert page.console_errors == []


def test_employees_have_no_datenschutz_link_and_get_403(chat, live_server):
    expect(chat.get_by_role("link", name="Datenschutz")).to_have_count(0)
    response = chat.goto(f"{live_server.url}/dpo")
    assert response.status == 403
