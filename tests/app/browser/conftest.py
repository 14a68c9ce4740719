"""A real Spielraum server, a fake model upstream and Debian's chromium, for browser tests.

Design choice: nothing is mocked between the browser and the model edge. uvicorn serves
the real app (real guard, real SQLite in a temp folder) on a free loopback port in a
background thread; the catalogue points at a FakeUpstream that records every request,
so a test can prove that no original value left the building. One server per test
module keeps the suite fast; each test gets a fresh browser context (no cookies, empty
sessionStorage) and a reset upstream.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import yaml

from tests.app.browser.support import (
    CHROMIUM, CHROMIUM_ARGS, LiveServer, chromium_missing, free_port, sign_in,
)

API_KEY_ENV = "SPIELRAUM_TEST_ECHO_KEY"


# Package scope, not session: Playwright's sync API keeps an event loop running in the main
# thread, and tests collected after this package (anyio-based ones) need that thread free.
@pytest.fixture(scope="package")
def browser():
    reason = chromium_missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import expect, sync_playwright

    # A guard scan plus a model round trip on a busy 2-core CI machine can exceed
    # Playwright's 5 s default; waiting longer costs nothing when things are fast.
    expect.set_options(timeout=15_000)

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def live_server(request, tmp_path_factory, browser) -> Iterator[LiveServer]:
    """A test module may set GUARD_POLICY (e.g. to block a kind of data) for its own server."""
    import uvicorn

    from app.factory import create_app
    from app.settings import Settings
    from tests.support.fake_upstream import FakeUpstream

    folder = tmp_path_factory.mktemp("spielraum")
    with FakeUpstream() as upstream, pytest.MonkeyPatch.context() as patch:
        patch.setenv(API_KEY_ENV, "sk-test-not-a-real-key")
        models_file = folder / "models.yaml"
        models_file.write_text(yaml.safe_dump({"models": [
            {"id": "echo", "display_name": "Echo (Test)", "litellm_model": "openai/fake-model",
             "api_base": upstream.base_url, "api_key_env": API_KEY_ENV, "max_tokens": 256,
             "temperature": 0.2, "timeout_seconds": 20, "roles": ["employee", "dpo"],
             "description": "Wiederholt Ihre Nachricht, zum Ausprobieren."},
            {"id": "dpo-only", "display_name": "Nur Datenschutz", "litellm_model": "openai/fake-model",
             "api_base": upstream.base_url, "api_key_env": API_KEY_ENV, "roles": ["dpo"],
             "description": "Nur für den Datenschutz freigegeben."},
        ]}), encoding="utf-8")
        policy_file = folder / "policy.yaml"
        policy_file.write_text(yaml.safe_dump(getattr(request.module, "GUARD_POLICY", {})), encoding="utf-8")
        settings = Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'spielraum.db'}",
                            models_file=models_file, guard_policy_file=policy_file,
                            secret_key="browser-test-secret-key-0123456789",
                            # Confirming the Grundlagen has its own browser test (test_learning_flow.py).
                            first_steps_on_login=getattr(request.module, "FIRST_STEPS_ON_LOGIN", False))
        app = create_app(settings)
        port = free_port()
        # log_config=None: uvicorn must not reconfigure logging for the rest of the test session.
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None,
                                               access_log=False, lifespan="on"))
        thread = threading.Thread(target=server.run, name="spielraum-test-server", daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        try:
            yield LiveServer(url=f"http://127.0.0.1:{port}", upstream=upstream, app=app)
        finally:
            server.should_exit = True
            thread.join(timeout=15)


@pytest.fixture
def upstream(live_server):
    live_server.upstream.reset()
    live_server.upstream.behaviour = "echo"
    return live_server.upstream


@pytest.fixture
def page(browser, live_server, upstream):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    # Script errors and Content-Security-Policy violations end up here; tests assert it stays empty.
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


_counter = iter(range(1, 10_000))


@pytest.fixture
def user(live_server) -> str:
    return live_server.add_user(f"nutzerin{next(_counter)}")


@pytest.fixture
def chat(page, live_server, user):
    """A signed-in chat page (German, the default language)."""
    sign_in(page, live_server, user)
    return page
