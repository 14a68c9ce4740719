"""The Grundlagen page, its one-time confirmation, and the check that shows it on first login.

The check is a small ASGI middleware placed inside the session middleware: a signed-in
person who opens the chat before confirming is sent to the Grundlagen page first. After a
confirmation (or a database lookup that finds one) the session remembers it, so the chat
costs no extra query afterwards. API clients and the stream are never redirected.
"""
from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.middleware import Middleware

from app.accounts.auth import SESSION_USER_KEY, verify_csrf
from app.deps import CurrentUser, SessionDep
from app.rendering import page_context, render
from app.storage import learning_store

router = APIRouter(prefix="/learning")

# Raise when the page changes in substance: everyone is asked to confirm again.
BASICS_VERSION = 1
SESSION_FLAG = "basics_ok"
BASICS_PATH = "/learning/basics"


@router.get("/basics", include_in_schema=False)
def basics_page(request: Request, user: CurrentUser, session: SessionDep, first: int = 0) -> Response:
    confirmed = learning_store.basics_confirmed(session, user.id, BASICS_VERSION)
    return render(request, "learning/basics.html", page_context(
        request, user, confirmed=confirmed, first=bool(first) and not confirmed, error=None))


@router.post("/basics", include_in_schema=False)
def confirm_basics(request: Request, user: CurrentUser, session: SessionDep,
                   csrf: Annotated[str, Form(max_length=200)] = "",
                   understood: Annotated[str, Form(max_length=10)] = "") -> Response:
    verify_csrf(request, csrf)
    if understood != "yes":
        context = page_context(request, user, confirmed=False, first=True)
        context["error"] = context["t"]("basics_must_tick")
        return render(request, "learning/basics.html", context, status_code=400)
    learning_store.confirm_basics(session, user.id, BASICS_VERSION)
    request.session[SESSION_FLAG] = BASICS_VERSION
    return RedirectResponse("/", status_code=303)


def _is_chat_page(scope) -> bool:
    path = scope.get("path", "")
    return scope.get("method") == "GET" and (path == "/" or path.startswith("/c/"))


class FirstLoginCheck:
    """Pure ASGI, so streamed answers pass through unbuffered."""

    def __init__(self, app, engine) -> None:
        self.app = app
        self.engine = engine

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and _is_chat_page(scope):
            session = scope.get("session") or {}
            user_id = session.get(SESSION_USER_KEY)
            if isinstance(user_id, int) and session.get(SESSION_FLAG) != BASICS_VERSION:
                if await anyio.to_thread.run_sync(self._confirmed, user_id):
                    session[SESSION_FLAG] = BASICS_VERSION
                else:
                    response = RedirectResponse(f"{BASICS_PATH}?first=1", status_code=303)
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)

    def _confirmed(self, user_id: int) -> bool:
        with Session(self.engine) as session:
            return learning_store.basics_confirmed(session, user_id, BASICS_VERSION)


def install_first_login_check(app: FastAPI) -> None:
    if not app.state.settings.first_steps_on_login:
        return
    # Appended, not added: the check must run inside the session middleware to read the session.
    app.user_middleware.append(Middleware(FirstLoginCheck, engine=app.state.engine))
