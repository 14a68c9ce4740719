"""Every malformed request gets a clear 4xx, never a 500: a table thrown at every route."""
from __future__ import annotations

import json

import pytest

from app.request_limits import MAX_JSON_DEPTH, json_depth
from tests.app.test_pages import chat_csrf, login

HUGE = "99999999999999999999"
DEEP = "[" * 100_000 + "]" * 100_000
CHAT = {"model": "fake", "messages": [{"role": "user", "content": "Hallo"}]}
JSON_TYPE = {"content-type": "application/json"}


def _chat_stream(csrf: str, **changes) -> dict:
    return {"model_id": "fake", "prompt": "Hallo", "csrf": csrf, **changes}


# (name, method, path, how) -- `how` builds the request's keyword arguments from the CSRF token.
CASES = [
    # pages
    ("conversation id too large", "GET", f"/c/{HUGE}", lambda c: {}),
    ("conversation id negative", "GET", "/c/-1", lambda c: {}),
    ("conversation id zero", "GET", "/c/0", lambda c: {}),
    ("conversation id not a number", "GET", "/c/abc", lambda c: {}),
    ("conversation id a float", "GET", "/c/1e5", lambda c: {}),
    ("unknown page", "GET", "/nirgendwo/%FF%FE", lambda c: {}),
    ("wrong method on a page", "DELETE", "/", lambda c: {}),
    # login and language
    ("login: invalid UTF-8 in the form", "POST", "/login",
     lambda c: {"content": b"username=%FF%FE%FD&password=%C3%28&csrf=" + c.encode(),
                "headers": {"content-type": "application/x-www-form-urlencoded"}}),
    ("login: raw invalid UTF-8 bytes", "POST", "/login",
     lambda c: {"content": b"username=\xff\xfe&password=\xc3\x28&csrf=" + c.encode(),
                "headers": {"content-type": "application/x-www-form-urlencoded"}}),
    ("login: JSON instead of a form", "POST", "/login", lambda c: {"json": {"username": "erika", "csrf": c}}),
    ("login: deep JSON", "POST", "/login", lambda c: {"content": DEEP, "headers": JSON_TYPE}),
    ("login: broken multipart", "POST", "/login",
     lambda c: {"content": b"--x\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + c.encode(),
                "headers": {"content-type": "multipart/form-data; boundary=x"}}),
    ("login: name too long", "POST", "/login", lambda c: {"data": {"username": "a" * 5000, "password": "x", "csrf": c}}),
    ("login: body too large", "POST", "/login", lambda c: {"data": {"username": "a" * 2_000_000, "csrf": c}}),
    ("logout: no CSRF", "POST", "/logout", lambda c: {"data": {}}),
    ("lang: value too long", "POST", "/lang", lambda c: {"data": {"lang": "x" * 100}}),
    # the web chat's stream
    ("stream: conversation id too large", "POST", "/chat/stream",
     lambda c: {"content": json.dumps(_chat_stream(c))[:-1] + f', "conversation_id": {HUGE}}}', "headers": JSON_TYPE}),
    ("stream: conversation id infinite", "POST", "/chat/stream",
     lambda c: {"content": json.dumps(_chat_stream(c))[:-1] + ', "conversation_id": 1e999}', "headers": JSON_TYPE}),
    ("stream: conversation id text", "POST", "/chat/stream", lambda c: {"json": _chat_stream(c, conversation_id="eins")}),
    ("stream: deep JSON", "POST", "/chat/stream", lambda c: {"content": DEEP, "headers": JSON_TYPE}),
    ("stream: deep JSON in a field", "POST", "/chat/stream",
     lambda c: {"content": json.dumps(_chat_stream(c))[:-1] + ', "x": ' + DEEP + "}", "headers": JSON_TYPE}),
    ("stream: invalid UTF-8", "POST", "/chat/stream",
     lambda c: {"content": b'{"model_id": "fake", "prompt": "\xff\xfe", "csrf": "' + c.encode() + b'"}',
                "headers": JSON_TYPE}),
    ("stream: not JSON", "POST", "/chat/stream", lambda c: {"content": "Hallo", "headers": JSON_TYPE}),
    ("stream: plain text type", "POST", "/chat/stream",
     lambda c: {"content": json.dumps(_chat_stream(c)), "headers": {"content-type": "text/plain"}}),
    ("stream: form type", "POST", "/chat/stream", lambda c: {"data": _chat_stream(c)}),
    ("stream: a list", "POST", "/chat/stream", lambda c: {"json": [_chat_stream(c)]}),
    ("stream: prompt not text", "POST", "/chat/stream", lambda c: {"json": _chat_stream(c, prompt={"a": 1})}),
    ("stream: vault not a mapping", "POST", "/chat/stream", lambda c: {"json": _chat_stream(c, vault=[1, 2])}),
    ("stream: body too large", "POST", "/chat/stream", lambda c: {"json": _chat_stream(c, prompt="x" * 2_000_000)}),
    ("stream: empty body", "POST", "/chat/stream", lambda c: {"content": b"", "headers": JSON_TYPE}),
    # the OpenAI-compatible API
    ("api: conversation header too large", "POST", "/v1/chat/completions",
     lambda c: {"json": CHAT, "headers": {"X-Spielraum-Conversation": HUGE}}),
    ("api: conversation header negative", "POST", "/v1/chat/completions",
     lambda c: {"json": CHAT, "headers": {"X-Spielraum-Conversation": "-5"}}),
    ("api: conversation header text", "POST", "/v1/chat/completions",
     lambda c: {"json": CHAT, "headers": {"X-Spielraum-Conversation": "Anna"}}),
    ("api: deep JSON", "POST", "/v1/chat/completions", lambda c: {"content": DEEP, "headers": JSON_TYPE}),
    ("api: deep JSON without a type", "POST", "/v1/chat/completions", lambda c: {"content": DEEP}),
    ("api: deep content parts", "POST", "/v1/chat/completions",
     lambda c: {"content": '{"model": "fake", "messages": [{"role": "user", "content": ' + DEEP + "}]}",
                "headers": JSON_TYPE}),
    ("api: invalid UTF-8", "POST", "/v1/chat/completions",
     lambda c: {"content": b'{"model": "\xff", "messages": []}', "headers": JSON_TYPE}),
    ("api: not JSON", "POST", "/v1/chat/completions", lambda c: {"content": "model=fake", "headers": JSON_TYPE}),
    ("api: wrong content type", "POST", "/v1/chat/completions",
     lambda c: {"content": json.dumps(CHAT), "headers": {"content-type": "text/plain"}}),
    ("api: a list", "POST", "/v1/chat/completions", lambda c: {"json": [CHAT]}),
    ("api: huge max_tokens", "POST", "/v1/chat/completions",
     lambda c: {"content": json.dumps(CHAT)[:-1] + f', "max_tokens": {HUGE}{HUGE}}}', "headers": JSON_TYPE}),
    ("api: infinite temperature", "POST", "/v1/chat/completions",
     lambda c: {"content": json.dumps(CHAT)[:-1] + ', "temperature": 1e999}', "headers": JSON_TYPE}),
    ("api: NaN temperature", "POST", "/v1/chat/completions",
     lambda c: {"content": json.dumps(CHAT)[:-1] + ', "temperature": NaN}', "headers": JSON_TYPE}),
    ("api: messages not a list", "POST", "/v1/chat/completions", lambda c: {"json": {**CHAT, "messages": "Hallo"}}),
    ("api: content parts of the wrong kind", "POST", "/v1/chat/completions",
     lambda c: {"json": {**CHAT, "messages": [{"role": "user", "content": [{"type": "image_url"}]}]}}),
    ("api: body too large", "POST", "/v1/chat/completions",
     lambda c: {"json": {**CHAT, "messages": [{"role": "user", "content": "x" * 2_000_000}]}}),
    ("api: models with a bad token", "GET", "/v1/models", lambda c: {"headers": {"Authorization": b"Bearer \xff\xfe"}}),
    ("api: models without a token", "GET", "/v1/models", lambda c: {"headers": {"Authorization": ""}}),
    ("api: models by POST", "POST", "/v1/models", lambda c: {"json": {}}),
    ("health by POST", "POST", "/healthz", lambda c: {"content": DEEP, "headers": JSON_TYPE}),
]


@pytest.fixture(scope="module")
def signed_in(request, tmp_path_factory, guard):
    """One signed-in app for the whole table (the guard and the app are the slow part)."""
    from fastapi.testclient import TestClient

    from app.factory import create_app
    from app.settings import Settings
    from tests.app.conftest import AppEnv, write_catalogue
    from tests.support.fake_upstream import FakeUpstream

    tmp = tmp_path_factory.mktemp("malformed")
    with FakeUpstream() as upstream:
        settings = Settings(data_dir=tmp / "data", secret_key="test-secret", first_steps_on_login=False,
                            models_file=write_catalogue(tmp / "models.yaml", upstream.base_url))
        app = create_app(settings, guard=guard)
        with TestClient(app, raise_server_exceptions=False) as client:
            env = AppEnv(app, client, settings)
            user = env.user()
            client.headers["Authorization"] = f"Bearer {env.token(user)}"
            login(client)
            yield env, chat_csrf(client)


@pytest.mark.parametrize("name, method, path, how", CASES, ids=[case[0] for case in CASES])
def test_malformed_requests_get_a_4xx_never_a_500(signed_in, name, method, path, how):
    env, csrf = signed_in
    response = env.client.request(method, path, **how(csrf))
    assert 400 <= response.status_code < 500, (name, response.status_code, response.text[:300])
    if response.headers.get("content-type", "").startswith("application/json"):
        error = response.json()["error"]
        assert error["message_de"] and error["message_en"]


def test_tolerated_oddities_are_answered_without_an_error(signed_in):
    """Not every odd input is an error: a language switch with broken bytes falls back to
    German and the start page, which loses nothing."""
    env, _ = signed_in
    response = env.client.post("/lang", content=b"lang=\xff&next=%FF",
                               headers={"content-type": "application/x-www-form-urlencoded"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_the_probe_cases_name_the_problem(signed_in):
    env, csrf = signed_in
    overflow = env.client.post("/v1/chat/completions", json=CHAT, headers={"X-Spielraum-Conversation": HUGE})
    assert overflow.status_code == 400 and "X-Spielraum-Conversation" in overflow.json()["error"]["message_en"]
    deep = env.client.post("/v1/chat/completions", content=DEEP, headers=JSON_TYPE)
    assert deep.status_code == 400 and deep.json()["error"]["code"] == "json_too_deep"
    too_large = env.client.post("/chat/stream", json=_chat_stream(csrf, prompt="x" * 2_000_000))
    assert too_large.status_code == 413 and too_large.json()["error"]["code"] == "request_too_large"
    assert env.client.post("/chat/stream", content=b'{"prompt": "\xff"}', headers=JSON_TYPE).json()["error"]["code"] == "invalid_utf8"


def test_well_formed_requests_still_pass(signed_in):
    env, csrf = signed_in
    nested = {"model": "fake", "messages": [{"role": "user", "content": [{"type": "text", "text": "[[{{Hallo}}]]"}]}]}
    assert env.client.post("/v1/chat/completions", json=nested).status_code == 200
    response = env.client.post("/chat/stream", json=_chat_stream(csrf, prompt="Klammern: [[[[{{{{"))
    assert response.status_code == 200 and '"type":"done"' in response.text


@pytest.mark.parametrize("text, depth", [
    ("{}", 1), ("[[[]]]", 3), ('{"a": "[[[[[["}', 1), ('["\\"[[[["]', 1), ("1", 0),
    ("[" * 40 + "]" * 40, 40),
])
def test_json_depth(text, depth):
    assert json_depth(text.encode()) == depth
    assert MAX_JSON_DEPTH >= 16
