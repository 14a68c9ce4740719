"""Every route of the app, walked with every role: allowed, 403, or redirect to the login page.

The table below names the access class of each route. A route the table does not know fails
the test, so a new page cannot slip in without someone deciding who may reach it.
Classes: public (anyone), user (any signed-in role), dpo (the data protection officer only:
an administrator configures the system but does not read the log), admin (configuration;
DPOs and employees get 403), curator (the prompt library's curators and administrators), token (the OpenAI-compatible API: a bearer token, no session).
"""
from __future__ import annotations

import re

import pytest

from tests.app.conftest import AppEnv
from tests.app.test_pages import HTML, chat_csrf, login

ACCESS = {
    ("GET", "/healthz"): "public",
    ("GET", "/openapi.json"): "public",
    ("GET", "/login"): "public",
    ("POST", "/login"): "public",
    ("POST", "/logout"): "public",
    ("POST", "/lang"): "public",
    ("GET", "/about"): "public",
    ("GET", "/account"): "user",
    ("POST", "/account/password"): "user",
    ("POST", "/account/tokens"): "user",
    ("POST", "/account/tokens/{token_id}/revoke"): "user",
    ("GET", "/"): "user",
    ("GET", "/c/{conversation_id}"): "user",
    ("POST", "/chat/stream"): "user",
    ("POST", "/chat/preview"): "user",
    ("POST", "/chat/document"): "user",
    ("POST", "/c/{conversation_id}/delete"): "user",
    ("POST", "/c/{conversation_id}/rename"): "user",
    ("POST", "/c/{conversation_id}/exchanges/{exchange_id}/withdraw"): "user",
    ("GET", "/v1/models"): "token",
    ("POST", "/v1/chat/completions"): "token",
    ("GET", "/dpo"): "dpo",
    ("GET", "/admin"): "admin",
    ("GET", "/admin/models"): "admin",
    ("GET", "/admin/models/new"): "admin",
    ("POST", "/admin/models/new"): "admin",
    ("GET", "/admin/models/{entry_id}/edit"): "admin",
    ("POST", "/admin/models/{entry_id}/edit"): "admin",
    ("POST", "/admin/models/{entry_id}/enabled"): "admin",
    ("POST", "/admin/models/{entry_id}/default"): "admin",
    ("GET", "/admin/models/{entry_id}/delete"): "admin",
    ("POST", "/admin/models/{entry_id}/delete"): "admin",
    ("POST", "/admin/models/test"): "admin",
    ("GET", "/admin/guard"): "admin",
    ("POST", "/admin/guard/rules"): "admin",
    ("POST", "/admin/guard/terms"): "admin",
    ("POST", "/admin/guard/terms/{term_id}/delete"): "admin",
    ("GET", "/admin/guard/test"): "admin",
    ("POST", "/admin/guard/test"): "admin",
    ("GET", "/admin/guard/capabilities"): "admin",
    ("GET", "/admin/users"): "admin",
    ("POST", "/admin/users"): "admin",
    ("GET", "/admin/users/{user_id}"): "admin",
    ("POST", "/admin/users/{user_id}/role"): "admin",
    ("POST", "/admin/users/{user_id}/groups"): "admin",
    ("POST", "/admin/users/{user_id}/deactivate"): "admin",
    ("POST", "/admin/users/{user_id}/reactivate"): "admin",
    ("POST", "/admin/users/{user_id}/password"): "admin",
    ("POST", "/admin/users/{user_id}/tokens/revoke"): "admin",
    ("GET", "/admin/groups"): "admin",
    ("POST", "/admin/groups"): "admin",
    ("GET", "/admin/groups/{group_id}"): "admin",
    ("POST", "/admin/groups/{group_id}"): "admin",
    ("POST", "/admin/groups/{group_id}/delete"): "admin",
    ("POST", "/admin/groups/{group_id}/members"): "admin",
    ("POST", "/admin/groups/{group_id}/members/{user_id}/remove"): "admin",
    ("GET", "/login/oidc"): "public",
    ("GET", "/login/oidc/callback"): "public",
    ("GET", "/admin/config"): "admin",
    ("GET", "/admin/config/export"): "admin",
    ("POST", "/admin/config/preview"): "admin",
    ("POST", "/admin/config/import"): "admin",
    ("GET", "/admin/changes"): "admin",
    ("GET", "/dpo/exchanges/{exchange_id}"): "dpo",
    ("POST", "/dpo/exchanges/{exchange_id}/flags"): "dpo",
    ("POST", "/dpo/exchanges/{exchange_id}/purge"): "dpo",
    ("POST", "/dpo/exchanges/{exchange_id}/reveal"): "dpo",
    ("GET", "/dpo/flags"): "dpo",
    ("POST", "/dpo/flags/{flag_id}/resolve"): "dpo",
    ("GET", "/dpo/audit"): "dpo",
    ("GET", "/dpo/export"): "dpo",
    ("GET", "/dpo/stats"): "dpo",
    ("GET", "/dpo/report"): "dpo",
    ("GET", "/dpo/record"): "dpo",
    ("GET", "/learning/basics"): "user",
    ("GET", "/learning/board"): "user",
    ("GET", "/learning/board/share/{exchange_id}"): "user",
    ("GET", "/learning/compare"): "user",
    ("GET", "/learning/feedback/strings"): "user",
    ("GET", "/learning/library"): "user",
    ("GET", "/learning/library/{prompt_id}"): "user",
    ("GET", "/learning/prompts"): "user",
    ("GET", "/learning/prompts/new"): "user",
    ("GET", "/learning/prompts/{prompt_id}/edit"): "user",
    ("GET", "/learning/sessions"): "user",
    ("GET", "/learning/sessions/{session_id}"): "user",
    ("POST", "/learning/basics"): "user",
    ("POST", "/learning/board/share/{exchange_id}"): "user",
    ("POST", "/learning/board/{post_id}/comments"): "user",
    ("POST", "/learning/compare/vote"): "user",
    ("POST", "/learning/feedback"): "user",
    ("POST", "/learning/library/{prompt_id}/rate"): "user",
    ("POST", "/learning/library/{prompt_id}/use"): "user",
    ("POST", "/learning/prompts"): "user",
    ("POST", "/learning/prompts/{prompt_id}"): "user",
    ("POST", "/learning/prompts/{prompt_id}/submit"): "user",
    ("POST", "/learning/sessions"): "user",
    ("POST", "/learning/sessions/{session_id}/entries"): "user",
    ("POST", "/learning/sessions/{session_id}/keep"): "user",
    ("GET", "/learning/curate"): "curator",
    ("GET", "/learning/feedback"): "curator",
    ("GET", "/learning/feedback.csv"): "curator",
    ("POST", "/learning/curate/{prompt_id}/{decision}"): "curator",
}
ROLES = ("anonymous", "employee", "curator", "admin", "dpo")


def walk_routes(routes) -> list[tuple[str, str]]:
    """(method, path) of every endpoint, descending into included routers."""
    found = []
    for route in routes:
        if hasattr(route, "effective_candidates"):
            found.extend(walk_routes(route.effective_candidates()))
        elif getattr(route, "methods", None) and getattr(route, "path", None):
            found.extend((method, route.path) for method in route.methods if method != "HEAD")
    return found


def expected(access: str, role: str) -> str:
    if access == "public":
        return "allowed"
    if access == "token":
        return "allowed" if role != "anonymous" else "unauthenticated"
    if role == "anonymous":
        return "login"
    if access == "user" or access == role:
        return "allowed"
    if access == "curator" and role == "admin":  # administrators may curate the library too
        return "allowed"
    return "forbidden"


def outcome(response, access: str) -> str:
    if access == "public":
        # Signing in with a wrong password (401) or signing out (redirect to /login) is an answer too.
        return "forbidden" if response.status_code == 403 else "allowed"
    if response.status_code == 401 and access == "user":
        return "login"  # the chat stream answers scripts with 401, browsers are redirected
    location = response.headers.get("location", "")
    if response.status_code in (302, 303, 307) and re.match(r"(https?://[^/]+)?/login(\?|$)", location):
        return "login"  # with ?next=… for a deep link
    if response.status_code == 401:
        return "unauthenticated"
    if response.status_code == 403:
        return "forbidden"
    return "allowed"


def call(env: AppEnv, method: str, path: str, csrf: str, token: str | None):
    # Token 1 is the employee's own: revoking it here would lock it out of /v1 later in the walk.
    url = re.sub(r"\{[a-z_]+\}", "999" if path.startswith("/account/tokens/") else "1", path)
    if path.startswith("/v1/"):
        headers = {"authorization": f"Bearer {token}"} if token else {}
        body = {"model": "fake", "messages": [{"role": "user", "content": "Hallo"}]}
        return env.client.request(method, url, json=body if method == "POST" else None, headers=headers)
    if path == "/chat/document":
        return env.client.post(url, content=b"Ein kurzer Text.", follow_redirects=False,
                               headers={"x-csrf-token": csrf, "x-filename": "notiz.txt", "accept": "application/json"})
    if path == "/chat/stream":
        return env.client.post(url, json={"model_id": "fake", "prompt": "Hallo", "csrf": csrf},
                               headers={"accept": "application/x-ndjson"}, follow_redirects=False)
    if method == "POST":
        return env.client.post(url, data={"csrf": csrf}, headers=HTML, follow_redirects=False)
    return env.client.get(url, headers=HTML, follow_redirects=False)


def test_every_route_answers_every_role_as_the_table_says(env):
    from tests.app.dpo.support import chat_as

    routes = sorted(set(walk_routes(env.app.routes)), key=lambda r: (r[1] == "/logout", r))
    unknown = [r for r in routes if r not in ACCESS]
    assert unknown == [], f"routes without an access class in ACCESS: {unknown}"
    assert set(ACCESS) <= set(routes), f"stale entries: {set(ACCESS) - set(routes)}"

    chat_as(env, "someone", ["Eine erste Frage, damit es Anfrage 1 gibt."])
    users = {role: env.user(f"user-{role}", role=role) for role in ROLES if role != "anonymous"}
    tokens = {role: env.token(user) for role, user in users.items()}
    wrong = []
    for role in ROLES:
        env.client.cookies.clear()
        csrf = re.search(r'name="csrf" value="([^"]+)"', env.client.get("/login").text).group(1)
        if role != "anonymous":
            assert login(env.client, f"user-{role}").status_code == 303
            csrf = chat_csrf(env.client)
        for method, path in routes:
            want = expected(ACCESS[(method, path)], role)
            got = outcome(call(env, method, path, csrf, tokens.get(role)), ACCESS[(method, path)])
            if got != want:
                wrong.append(f"{role:9} {method:4} {path}: expected {want}, got {got}")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("role", ["employee", "admin"])
def test_no_dpo_data_reaches_other_roles_as_json_either(env, role):
    env.user("x", role=role)
    login(env.client, "x")
    for path in ("/dpo", "/dpo/export?format=jsonl", "/dpo/audit", "/dpo/flags"):
        response = env.client.get(path)
        assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden", path


def test_an_id_too_large_for_the_database_is_not_found_on_every_route(env):
    from tests.app.test_pages import login

    env.user("x", role="dpo")
    login(env.client, "x")
    routes = [r for r in set(walk_routes(env.app.routes)) if "{" in r[1] and not r[1].startswith("/static")]
    assert routes, "no route with an id"
    for method, path in routes:
        url = re.sub(r"\{[a-z_]+\}", "99999999999999999999", path)
        response = env.client.request(method, url, headers=HTML, follow_redirects=False)
        assert response.status_code == 404, f"{method} {path}: {response.status_code}"
