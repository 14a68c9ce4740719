"""Sessions, roles and CSRF through the real middleware and dependencies."""
from __future__ import annotations

import pytest
from fastapi import APIRouter, Depends, Request
from sqlmodel import select

from app.accounts.auth import authenticate, csrf_token, hash_password, login_session, logout_session, verify_csrf, verify_password
from app.deps import CurrentUser, OptionalUser, SessionDep, require_role
from app.storage.tables import User
from tests.app.conftest import PASSWORD


@pytest.fixture
def auth_env(env):
    """The app plus a few probe routes that use the auth building blocks as pages do."""
    router = APIRouter()

    @router.post("/probe/login")
    def login(request: Request, session: SessionDep, username: str, password: str) -> dict:
        user = authenticate(session, username, password)
        if user is None:
            return {"ok": False}
        login_session(request, user)
        return {"ok": True, "csrf": csrf_token(request)}

    @router.post("/probe/logout")
    def logout(request: Request) -> dict:
        logout_session(request)
        return {"ok": True}

    @router.get("/probe/me")
    def me(user: CurrentUser) -> dict:
        return {"username": user.username, "role": user.role}

    @router.get("/probe/maybe")
    def maybe(user: OptionalUser) -> dict:
        return {"username": user.username if user else None}

    @router.get("/probe/dpo")
    def dpo_only(user: User = Depends(require_role("dpo", "admin"))) -> dict:
        return {"username": user.username}

    @router.post("/probe/form")
    def form(request: Request, user: CurrentUser, csrf: str = "") -> dict:
        verify_csrf(request, csrf)
        return {"ok": True}

    env.app.include_router(router)
    env.user("erika")
    env.user("dora", role="dpo")
    return env


def test_passwords_are_argon2_hashes():
    hashed = hash_password("geheim-123")
    assert hashed.startswith("$argon2id$") and "geheim-123" not in hashed
    assert verify_password("geheim-123", hashed) and not verify_password("geheim-124", hashed)
    assert not verify_password("geheim-123", "not-a-hash")


def test_login_session_roles_and_logout(auth_env):
    client = auth_env.client
    assert client.get("/probe/me").status_code == 401
    assert client.get("/probe/me", headers={"Accept": "text/html"}, follow_redirects=False).headers["location"] == "/login?next=%2Fprobe%2Fme"  # the deep link survives sign-in
    assert client.get("/probe/maybe").json() == {"username": None}
    assert client.post("/probe/login", params={"username": "erika", "password": PASSWORD + "x"}).json() == {"ok": False}
    assert client.post("/probe/login", params={"username": "niemand", "password": PASSWORD}).json() == {"ok": False}

    assert client.post("/probe/login", params={"username": "erika", "password": PASSWORD}).json()["ok"]
    cookie = client.cookies.get(auth_env.settings.session_cookie)
    assert cookie and "erika" not in cookie
    assert client.get("/probe/me").json() == {"username": "erika", "role": "employee"}
    forbidden = client.get("/probe/dpo")
    assert forbidden.status_code == 403 and forbidden.json()["error"]["code"] == "forbidden"

    client.post("/probe/logout")
    assert client.get("/probe/me").status_code == 401
    client.post("/probe/login", params={"username": "dora", "password": PASSWORD})
    assert client.get("/probe/dpo").json() == {"username": "dora"}


def test_csrf_token_is_required_for_forms(auth_env):
    client = auth_env.client
    token = client.post("/probe/login", params={"username": "erika", "password": PASSWORD}).json()["csrf"]
    rejected = client.post("/probe/form", params={"csrf": "wrong"})
    assert rejected.status_code == 403 and rejected.json()["error"]["code"] == "csrf_failed"
    assert client.post("/probe/form").status_code == 403
    assert client.post("/probe/form", params={"csrf": token}).json() == {"ok": True}


def test_deactivated_user_is_signed_out(auth_env):
    client = auth_env.client
    client.post("/probe/login", params={"username": "erika", "password": PASSWORD})
    with auth_env.session() as session:
        user = session.exec(select(User).where(User.username == "erika")).one()
        user.is_active = False
        session.add(user)
        session.commit()
    assert client.get("/probe/me").status_code == 401


def test_generated_session_secret_is_kept_in_the_data_dir(tmp_path):
    from app.accounts.auth import session_secret
    from app.settings import Settings

    settings = Settings(data_dir=tmp_path / "data")
    first = session_secret(settings)
    assert len(first) > 40 and session_secret(settings) == first
    assert ((tmp_path / "data" / "secret_key").stat().st_mode & 0o777) == 0o600
    assert session_secret(Settings(data_dir=tmp_path / "data", secret_key="explicit")) == "explicit"
