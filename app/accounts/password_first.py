"""A password someone else chose must be replaced before anything else.

An account whose password was generated or set by an administrator carries
`must_change_password`. This pure-ASGI check (inside the session middleware, before the
Grundlagen check of the learning workspace, so the order is: password, then Grundlagen,
then the chat) sends such a signed-in person's pages to the account page and refuses other
requests with 403. Once a lookup finds the flag clear, the session remembers it, so later
requests cost no query. The sign-in pages, the language switch, static files and the
token API (no session) pass untouched.
"""
from __future__ import annotations

import anyio
from fastapi import FastAPI
from fastapi.responses import JSONResponse, RedirectResponse
from sqlmodel import Session
from starlette.middleware import Middleware

from app.accounts.user_sessions import SESSION_ID_KEY, live_user
from app.errors import error_body

ACCOUNT_PATH = "/account"
SESSION_FLAG = "password_ok"
_OPEN_PATHS = ("/account", "/login", "/logout", "/lang", "/static", "/healthz", "/about", "/openapi.json", "/v1")


def _is_open(path: str) -> bool:
    return any(path == open_path or path.startswith(open_path + "/") for open_path in _OPEN_PATHS)


class PasswordFirstCheck:
    def __init__(self, app, engine) -> None:
        self.app = app
        self.engine = engine

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and not _is_open(scope.get("path", "")):
            session = scope.get("session") or {}
            session_id = session.get(SESSION_ID_KEY)
            if session_id and not session.get(SESSION_FLAG):
                if await anyio.to_thread.run_sync(self._must_change, session_id):
                    await self._refuse(scope)(scope, receive, send)
                    return
                session[SESSION_FLAG] = True
        await self.app(scope, receive, send)

    @staticmethod
    def _refuse(scope):
        if scope.get("method") == "GET":
            return RedirectResponse(f"{ACCOUNT_PATH}?first=1", status_code=303)
        return JSONResponse(error_body(
            403, "password_change_required",
            "Bitte wählen Sie zuerst auf der Kontoseite ein eigenes Passwort.",
            "Please choose your own password on the account page first.", english=False), status_code=403)

    def _must_change(self, session_id: str) -> bool:
        # Only a live session counts: an ended one is left to the route, which asks for sign-in.
        with Session(self.engine) as session:
            user = live_user(session, session_id)
            return bool(user and user.must_change_password)


def install_password_first(app: FastAPI) -> None:
    # Appended (inside the session middleware) before the learning workspace appends its
    # Grundlagen check, so this one runs first.
    app.user_middleware.append(Middleware(PasswordFirstCheck, engine=app.state.engine))
