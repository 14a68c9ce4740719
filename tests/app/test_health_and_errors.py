"""Health report, start-up without a catalogue, and the one error handler's two faces."""
from __future__ import annotations

from tests.app.conftest import ServerThread


def test_healthz_reports_database_guard_and_catalogue(env):
    response = env.client.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["database"]["ok"] is True and body["database"]["dialect"] == "sqlite"
    assert body["guard"]["ok"] is True and body["guard"]["recognizers"] > 0 and "de" in body["guard"]["pipelines"]
    assert body["catalogue"] == {"ok": True, "models": 3, "file": str(env.settings.models_file), "note": None}


def test_app_starts_without_a_catalogue_and_says_so(make_env):
    env = make_env(models=False)
    body = env.client.get("/healthz").json()
    assert body["catalogue"]["models"] == 0 and body["catalogue"]["ok"] is False
    assert "SPIELRAUM_MODELS_FILE" in body["catalogue"]["note"]
    token = env.token(env.user())
    models = env.client.get("/v1/models", headers={"Authorization": f"Bearer {token}"}).json()
    assert models == {"object": "list", "data": []}


def test_healthz_is_503_when_the_database_is_gone(env):
    from sqlalchemy import create_engine

    working = env.app.state.engine
    env.app.state.engine = create_engine("sqlite:////nonexistent/dir/spielraum.db")
    try:
        response = env.client.get("/healthz")
    finally:
        env.app.state.engine = working
    assert response.status_code == 503 and response.json()["database"]["ok"] is False


def test_errors_are_json_for_clients_and_a_page_for_browsers(env):
    json_404 = env.client.get("/does-not-exist")
    assert json_404.status_code == 404 and json_404.json()["error"]["code"] == "not_found"

    page = env.client.get("/does-not-exist", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]  # same policy as the chat pages
    assert "nicht gefunden" in page.text

    api_404 = env.client.get("/v1/nothing", headers={"Accept": "text/html"})
    assert api_404.headers["content-type"].startswith("application/json")


def test_real_server_serves_health(env):
    import httpx

    with ServerThread(env.app) as server:
        response = httpx.get(f"{server.base_url}/healthz", timeout=10)
    assert response.status_code == 200
