"""Dependencies as `Annotated` aliases, so route signatures read like documentation.

Everything comes from `request.app.state`, filled by the app factory: no import-time
globals, so every test builds its own app with its own database and guard.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from app.accounts.api_tokens import user_for_token
from app.accounts.user_sessions import SESSION_ID_KEY, live_user
from app.chat.model_directory import ModelDirectory
from app.chat.web_service import ChatService
from app.errors import Forbidden, InvalidApiToken, NotAuthenticated
from app.storage.tables import User
from app.settings import Settings
from guardrails import Guard
from providers import Catalogue


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine) as session:
        yield session


def get_guard(request: Request) -> Guard:
    """The guard under the policy IT configured now (one version query; sync, so in the thread pool)."""
    return request.app.state.guard_policies.guard()


def get_catalogue(request: Request) -> Catalogue:
    """The current catalogue (one small version query; sync, so it runs in the thread pool).
    Who may use which model is `app.chat.model_access`'s question, not this one's."""
    return request.app.state.models.catalogue()


def get_model_directory(request: Request) -> ModelDirectory:
    return request.app.state.models


def get_chat_service(request: Request) -> ChatService:
    return request.app.state.chat_service


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
GuardDep = Annotated[Guard, Depends(get_guard)]
CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]
ModelDirectoryDep = Annotated[ModelDirectory, Depends(get_model_directory)]
ChatServiceDep = Annotated[ChatService, Depends(get_chat_service)]


def short_session(request: Request) -> Session:
    """A session for one quick lookup, closed before the route runs.

    The user lookups use this instead of `SessionDep`: a request-scoped session lives until
    the response is finished, which for a streamed chat answer means for as long as the
    model talks, and would keep a pooled connection from everyone else all that time.
    (Sync dependencies run in the thread pool, so the lookup stays off the event loop.)
    """
    return Session(request.app.state.engine, expire_on_commit=False)


def get_optional_user(request: Request) -> User | None:
    """The user of a live session. Its own short database session, not `SessionDep`: a
    yield dependency stays open until the response is sent, so a streamed answer would
    hold a pooled connection for as long as the model talks."""
    session_id = request.session.get(SESSION_ID_KEY) if "session" in request.scope else None
    if not session_id:
        return None
    with short_session(request) as session:
        user = live_user(session, session_id)
    if user is None:
        return None
    request.state.user = user  # for the error page's header
    return user


def get_current_user(user: Annotated[User | None, Depends(get_optional_user)]) -> User:
    """The signed-in user; otherwise 401, which the error handler turns into a redirect
    to /login for browsers and into JSON for scripts."""
    if user is None:
        raise NotAuthenticated()
    return user


OptionalUser = Annotated[User | None, Depends(get_optional_user)]
CurrentUser = Annotated[User, Depends(get_current_user)]


def require_role(*roles: str) -> Callable[..., User]:
    """`Depends(require_role("dpo", "admin"))`: the signed-in user, if their role is one of these."""
    def dependency(user: CurrentUser) -> User:
        if user.role not in roles:
            raise Forbidden()
        return user
    return dependency


def get_api_user(request: Request) -> User:
    """The owner of the bearer token (`Authorization: Bearer sr-…`), if the account is active.
    A short database session of its own, for the same reason as `get_optional_user`."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidApiToken()
    with short_session(request) as session:
        user = user_for_token(session, token.strip())
    if user is None:
        raise InvalidApiToken()
    return user


ApiUser = Annotated[User, Depends(get_api_user)]
