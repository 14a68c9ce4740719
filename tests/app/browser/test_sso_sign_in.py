"""Single sign-on in Chromium: the login page's button, the round trip through a real
OpenID Connect provider on 127.0.0.1 and back into the chat; the refusal page; axe on both."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.factory import create_app
from app.settings import Settings
from tests.app.browser.test_accessibility import violations
from tests.app.conftest import ServerThread, free_port
from tests.support.oidc_provider import CLIENT_ID, CLIENT_SECRET, TestProvider

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sso_server(browser, tmp_path_factory):
    port = free_port()
    provider = TestProvider(issuer=f"http://127.0.0.1:{port}")
    folder = tmp_path_factory.mktemp("sso")
    settings = Settings(data_dir=folder, secret_key="browser-sso-secret-0123456789", first_steps_on_login=False,
                        oidc_issuer=provider.issuer, oidc_client_id=CLIENT_ID, oidc_client_secret=CLIENT_SECRET,
                        oidc_role_claim="realm_access.roles", oidc_role_map={"spielraum-user": "employee"},
                        oidc_display_name="Behörden-Login")
    with ServerThread(provider.app(), port=port), ServerThread(create_app(settings)) as app_server:
        yield provider, app_server.base_url


def test_sign_in_with_the_provider_and_a_refusal(browser, sso_server):
    provider, url = sso_server
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    try:
        page.goto(f"{url}/login")
        assert violations(page) == []
        page.get_by_role("link", name="Anmelden mit Behörden-Login").click()
        page.wait_for_url(f"{url}/")
        expect(page.get_by_role("link", name="Konto")).to_be_visible()

        context.clear_cookies()
        provider.token_lifetime = -3600  # an expired ID token
        page.goto(f"{url}/login")
        page.get_by_role("link", name="Anmelden mit Behörden-Login").click()
        expect(page.get_by_role("alert")).to_contain_text("Die Anmeldung ist abgelaufen")
        assert violations(page) == []
    finally:
        provider.token_lifetime = 300
        context.close()
