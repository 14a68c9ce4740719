"""Sign-in, sign-out and the language switch."""
from __future__ import annotations

import math
import re
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app import i18n
from app.accounts.auth import authenticate, login_session, logout_session, verify_csrf
from app.accounts.oidc_routes import sso_option
from app.deps import OptionalUser, SessionDep
from app.rendering import page_context, render

router = APIRouter()


# A local path of plain characters: no scheme, no "//host", no backslash or control
# character that a browser would strip or rewrite into one.
_LOCAL_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9/_\-.~%]*(\?[A-Za-z0-9_\-.~%=&+]*)?")


def _safe_next(target: str | None) -> str:
    """Where to go after switching language or signing in; never another site."""
    return target if target and _LOCAL_PATH.fullmatch(target) else "/"


@router.get("/login", include_in_schema=False)
def login_page(request: Request, user: OptionalUser) -> Response:
    next_page = _safe_next(request.query_params.get("next"))
    if user is not None:
        return RedirectResponse(next_page, status_code=303)
    return render(request, "login.html", page_context(request, error=None, next_page=next_page,
                                                      sso=sso_option(request)))


@router.post("/login", include_in_schema=False)
def login_submit(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",  # noqa: A002 - the form field's name
) -> Response:
    verify_csrf(request, csrf)
    throttle = request.app.state.login_throttle
    address = request.client.host if request.client else ""
    # Refused before the password is checked, for known and unknown names alike.
    wait = throttle.retry_after(username, address)
    if wait:
        return _throttled(request, username, wait)
    user = authenticate(session, username.strip(), password)
    if user is None:
        wait = throttle.record_failure(username, address)
        if wait:
            return _throttled(request, username, wait)
        context = page_context(request, username=username.strip(), next_page=_safe_next(next),
                               sso=sso_option(request))
        # One message for unknown user, wrong password and disabled account alike.
        context["error"] = context["t"]("login_failed")
        return render(request, "login.html", context, status_code=401)
    throttle.record_success(username)
    login_session(request, user)
    # A deep link opened while signed out (/c/12) is where the person wanted to go.
    return RedirectResponse(_safe_next(next), status_code=303)


def _throttled(request: Request, username: str, wait_seconds: int) -> Response:
    context = page_context(request, username=username.strip(), sso=sso_option(request))
    context["error"] = context["t"]("login_throttled").format(minutes=max(1, math.ceil(wait_seconds / 60)))
    response = render(request, "login.html", context, status_code=429)
    response.headers["Retry-After"] = str(wait_seconds)
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    verify_csrf(request, csrf)
    logout_session(request)
    return RedirectResponse("/login", status_code=303)


@router.post("/lang", include_in_schema=False)
def switch_language(
    request: Request,
    lang: Annotated[str, Form(max_length=8)] = i18n.DEFAULT_LANGUAGE,
    next: Annotated[str, Form(max_length=500)] = "/",  # noqa: A002 - the form field's name
) -> Response:
    # No CSRF check on purpose: the switch is offered on pages without a session too (login,
    # error pages), and a forged request could at worst change the display language.
    chosen = i18n.normalise_language(lang) or i18n.DEFAULT_LANGUAGE
    request.session["lang"] = chosen
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(i18n.LANG_COOKIE, chosen, max_age=365 * 24 * 3600, httponly=True, samesite="lax")
    return response
