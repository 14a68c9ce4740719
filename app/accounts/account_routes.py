"""The account page: change one's password, manage one's own API tokens, choose the language.

The rules live in `account_service.py`; the language form posts to the existing `/lang`
switch. A new token is shown once, in the response to the request that created it, and
never again (only its sha256 is stored).
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app import i18n
from app.accounts import account_service
from app.accounts.account_service import PasswordChangeRefused
from app.accounts.auth import verify_csrf
from app.accounts.password_first import SESSION_FLAG as PASSWORD_OK
from app.accounts.password_rule import MIN_LENGTH
from app.accounts.user_sessions import SESSION_ID_KEY
from app.deps import CurrentUser, SessionDep
from app.errors import NotFound
from app.rendering import page_context, render
from app.storage.tables import User

router = APIRouter(prefix="/account")

_NOTICES = {"changed": "account_pw_changed", "revoked": "account_token_revoked"}


def _page(request: Request, user: User, session: Session, *, status_code: int = 200, **extra) -> Response:
    notice = _NOTICES.get(request.query_params.get("done", ""))
    parts = {"password_error": None, "token_error": None, "new_token": None, "new_token_name": "", **extra}
    context = page_context(
        request, user, tokens=account_service.own_tokens(session, user), min_length=MIN_LENGTH,
        first=request.query_params.get("first") == "1" or user.must_change_password, **parts)
    context["notice"] = context["t"](notice) if notice else None
    return render(request, "account.html", context, status_code=status_code)


@router.get("", include_in_schema=False)
def account_page(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    return _page(request, user, session)


@router.post("/password", include_in_schema=False)
def change_password(
    request: Request, user: CurrentUser, session: SessionDep,
    csrf: Annotated[str, Form(max_length=200)] = "",
    current_password: Annotated[str, Form(max_length=1000)] = "",
    new_password: Annotated[str, Form(max_length=1000)] = "",
    new_password_again: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    verify_csrf(request, csrf)
    was_required = user.must_change_password
    try:
        account_service.change_own_password(
            request.app.state.engine, request.app.state.login_throttle, user, current=current_password,
            new=new_password, repeated=new_password_again,
            address=request.client.host if request.client else "",
            keep_session_id=request.session.get(SESSION_ID_KEY))
    except PasswordChangeRefused as refused:
        lang = i18n.request_language(request)
        response = _page(request, user, session, status_code=refused.status,
                         password_error=refused.message(i18n.translator(lang), lang))
        if refused.retry_after:
            response.headers["Retry-After"] = str(refused.retry_after)
        return response
    request.session[PASSWORD_OK] = True
    # After a required change the way leads on (to the Grundlagen on a first sign-in, then the chat).
    return RedirectResponse("/" if was_required else "/account?done=changed", status_code=303)


@router.post("/tokens", include_in_schema=False)
def create_token(request: Request, user: CurrentUser, session: SessionDep,
                 csrf: Annotated[str, Form(max_length=200)] = "",
                 name: Annotated[str, Form(max_length=account_service.TOKEN_NAME_MAX)] = "") -> Response:
    verify_csrf(request, csrf)
    if user.must_change_password:
        return _page(request, user, session, status_code=403,
                     token_error=i18n.translator(i18n.request_language(request))("account_token_after_password"))
    token = account_service.create_own_token(session, user, name)
    return _page(request, user, session, new_token=token, new_token_name=name.strip())


@router.post("/tokens/{token_id}/revoke", include_in_schema=False)
def revoke_token(request: Request, user: CurrentUser, session: SessionDep, token_id: int,
                 csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    verify_csrf(request, csrf)
    if not account_service.revoke_own_token(session, user, token_id):
        raise NotFound()
    return RedirectResponse("/account?done=revoked", status_code=303)
