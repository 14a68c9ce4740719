"""/admin/config and /admin/changes in headless Chromium: keyboard and mouse, no JavaScript
needed, axe finds no WCAG violation on the upload page, the error list, the preview and the log."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.app.admin.config_support import SAMPLE
from tests.app.browser.support import sign_in

pytestmark = pytest.mark.browser
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                 reason="axe-playwright-python (bundles axe-core) is not installed")
from tests.app.browser.test_accessibility import violations  # noqa: E402


def choose(page, text: str, name: str = "spielraum.yaml") -> None:
    page.get_by_label("YAML-Datei").set_input_files(
        files=[{"name": name, "mimeType": "application/yaml", "buffer": text.encode("utf-8")}])


def test_import_with_errors_then_preview_confirm_and_the_change_log(page, live_server):
    admin = live_server.add_user("it-browser", role="admin")
    sign_in(page, live_server, admin)
    page.goto(f"{live_server.url}/admin/config")
    expect(page.get_by_role("heading", name="Konfiguration als Datei", level=1)).to_be_visible()
    assert violations(page) == []

    choose(page, SAMPLE.replace("temperature: 0.3", "temperature: 3"))
    page.get_by_role("button", name="Vorschau anzeigen").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Die Datei enthält Fehler; es wurde nichts geändert.")
    expect(alert).to_contain_text("Zeile 14: models[0].temperature: Input should be less than or equal to 2")
    assert violations(page) == []
    # The page with the errors answers 400 on purpose; Chromium logs that status, nothing else.
    assert page.console_errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    page.console_errors.clear()

    choose(page, SAMPLE)
    page.get_by_label("YAML-Datei").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the preview button, by keyboard
    expect(page.get_by_role("heading", name="Vorschau des Imports")).to_be_visible()
    expect(page.locator("#preview-area-models")).to_contain_text("llama-intern")
    assert violations(page) == []
    page.get_by_role("button", name="Änderungen übernehmen").click()
    expect(page.get_by_role("status")).to_contain_text("Die Konfiguration wurde importiert.")

    with page.expect_download() as download:
        page.get_by_role("link", name="Konfiguration herunterladen (YAML)").click()
    assert download.value.suggested_filename.startswith("spielraum-config-")
    assert "llama-intern" in open(download.value.path(), encoding="utf-8").read()

    page.goto(f"{live_server.url}/admin/changes")
    expect(page.locator(".change-entry").first).to_contain_text("config.groups.import")
    assert violations(page) == []
    page.get_by_label("Bereich", exact=True).select_option("models")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.locator(".change-entry")).to_have_count(1)
    expect(page.locator(".change-entry")).to_contain_text("llama-intern.temperature")
    assert page.console_errors == []
