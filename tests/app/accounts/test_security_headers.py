"""Security headers on every kind of response, and route templates (not raw paths) in the log."""
from __future__ import annotations

import logging

import pytest

from app.chat.web_service import ChatTurn  # noqa: F401 - the app's import graph, as in production
from app.security_headers import BASE_HEADERS, HSTS

EXPECTED = {name.decode(): value.decode() for name, value in BASE_HEADERS}


def _assert_headers(response, *, hsts: bool = False) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (name, response.status_code, response.request.url)
    assert (HSTS[0].decode() in response.headers) is hsts


def _kinds_of_response(env, token: str):
    client = env.client
    html = {"accept": "text/html"}
    auth = {"Authorization": f"Bearer {token}"}
    yield "page", client.get("/login")
    yield "redirect", client.get("/", headers=html, follow_redirects=False)
    yield "static", client.get("/static/chat.js")
    yield "static 404", client.get("/static/missing.js")
    yield "json api", client.get("/v1/models", headers=auth)
    yield "json error", client.get("/v1/models")
    yield "html error", client.get("/nirgendwo", headers=html)
    yield "health", client.get("/healthz")
    yield "sse stream", client.post("/v1/chat/completions", headers=auth, json={
        "model": "fake", "stream": True, "messages": [{"role": "user", "content": "Hallo"}]})
    yield "openapi", client.get("/openapi.json")


def test_every_kind_of_response_carries_the_security_headers(env):
    token = env.token(env.user())
    kinds = dict(_kinds_of_response(env, token))
    assert kinds["sse stream"].headers["content-type"].startswith("text/event-stream")
    assert kinds["static"].status_code == 200 and kinds["static 404"].status_code == 404
    for kind, response in kinds.items():
        _assert_headers(response)
    # The pages keep their own Content-Security-Policy.
    assert "default-src 'self'" in kinds["page"].headers["content-security-policy"]


def test_ndjson_chat_stream_carries_the_headers(env):
    from tests.app.test_pages import chat_csrf, login, stream

    env.user()
    login(env.client)
    response, events = stream(env.client, chat_csrf(env.client), "Hallo")
    assert events[-1]["type"] == "done"
    _assert_headers(response)


def test_unexpected_errors_carry_the_headers_too(env):
    from fastapi import APIRouter

    router = APIRouter()

    @router.get("/probe/crash")
    def crash() -> dict:
        raise RuntimeError("boom")

    env.app.include_router(router)
    from fastapi.testclient import TestClient

    with TestClient(env.app, raise_server_exceptions=False) as client:
        response = client.get("/probe/crash")
    assert response.status_code == 500
    _assert_headers(response)


def test_hsts_only_behind_https(make_env):
    env = make_env(session_https_only=True)
    _assert_headers(env.client.get("/healthz", headers={"x-forwarded-proto": "https"}), hsts=True)


@pytest.mark.parametrize("path, template", [
    ("/c/4711", "/c/{conversation_id}"),
    ("/static/chat.js?name=Anna", "/static/{path}"),
])
def test_the_log_names_the_route_template_not_the_path(env, caplog, path, template):
    caplog.set_level(logging.INFO)
    env.client.get(path, headers={"accept": "text/html"}, follow_redirects=False)
    logged = [getattr(r, "path", None) for r in caplog.records if r.getMessage() == "http.request"]
    assert logged == [template]


def test_a_name_typed_into_the_url_never_reaches_the_log(env, caplog):
    caplog.set_level(logging.DEBUG)
    env.client.get("/c/Anna-Schmidt?q=Bernd-Krueger", headers={"accept": "text/html"})
    env.client.get("/Anna-Schmidt/profil")
    # The app's own loggers (the test client's logger prints the URL it requests).
    text = "\n".join(f"{r.getMessage()} {vars(r)}" for r in caplog.records if r.name.startswith("spielraum"))
    assert "Anna" not in text and "Bernd" not in text
    assert any(getattr(r, "path", None) == "<unmatched>" for r in caplog.records)
