"""Single sign-on: `/login/oidc` starts the authorisation code flow, `/login/oidc/callback` ends it.

The start stores state, nonce and the PKCE code verifier in the signed session cookie
(HttpOnly, only for this browser) and sends the browser to the provider; the callback takes
them out again (each is used once), checks the state, exchanges the code with the verifier,
validates the ID token and opens a normal server-side session, as a local sign-in does.
A refusal shows the login page with a message saying why; the log gets a reason code, never
a token or a claim value.
"""
from __future__ import annotations

import hmac
import logging
import secrets
import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app.accounts.auth import login_session
from app.accounts.oidc_accounts import account_for
from app.accounts.oidc_provider import OidcProvider, OidcRefused, OidcUnavailable
from app.errors import NotFound
from app.rendering import page_context, render

log = logging.getLogger("spielraum.oidc")
router = APIRouter(prefix="/login/oidc")

PENDING_KEY = "oidc_pending"
# The person has this long to sign in at the provider and come back.
PENDING_MAX_SECONDS = 600
_STATUS = {"bad_state": 400, "cancelled": 401, "code_rejected": 401, "no_role": 403, "inactive": 403}


def provider_of(request: Request) -> OidcProvider | None:
    return getattr(request.app.state, "oidc", None)


def sso_option(request: Request) -> dict[str, Any] | None:
    """What the login page shows: nothing, the button, or the note that SSO is unreachable."""
    provider = provider_of(request)
    if provider is None:
        return None
    return {"name": provider.settings.oidc_display_name, "available": provider.available()}


def _redirect_uri(request: Request, provider: OidcProvider) -> str:
    return provider.settings.oidc_redirect_uri or str(request.url_for("oidc_callback"))


@router.get("", include_in_schema=False)
def start(request: Request) -> Response:
    from app.accounts.routes import _safe_next

    provider = provider_of(request)
    if provider is None:
        raise NotFound()
    pending = {"state": secrets.token_urlsafe(32), "nonce": secrets.token_urlsafe(32),
               "verifier": secrets.token_urlsafe(64), "next": _safe_next(request.query_params.get("next")),
               "started": int(time.time())}
    try:
        url = provider.authorization_url(redirect_uri=_redirect_uri(request, provider), state=pending["state"],
                                         nonce=pending["nonce"], code_verifier=pending["verifier"])
    except OidcUnavailable:
        return _refused(request, "unavailable", status_code=503)
    except OidcRefused as refused:
        return _refused(request, refused.reason)
    request.session[PENDING_KEY] = pending
    return RedirectResponse(url, status_code=303)


@router.get("/callback", include_in_schema=False, name="oidc_callback")
def callback(request: Request) -> Response:
    provider = provider_of(request)
    if provider is None:
        raise NotFound()
    pending = request.session.pop(PENDING_KEY, None)
    params = request.query_params
    if not isinstance(pending, dict) or not _same(params.get("state"), pending.get("state")) \
            or time.time() - pending.get("started", 0) > PENDING_MAX_SECONDS:
        return _refused(request, "bad_state")
    if params.get("error"):
        return _refused(request, "cancelled")
    if not params.get("code"):
        return _refused(request, "bad_state")
    try:
        token = provider.exchange_code(code=params["code"], redirect_uri=_redirect_uri(request, provider),
                                       code_verifier=pending["verifier"])
        claims = provider.validate_id_token(token, nonce=pending["nonce"])
        user = account_for(request.app.state.engine, provider.settings, provider.issuer, claims)
    except OidcUnavailable:
        return _refused(request, "unavailable", status_code=503)
    except OidcRefused as refused:
        return _refused(request, refused.reason)
    login_session(request, user)
    log.info("oidc.signed_in", extra={"user_id": user.id})
    return RedirectResponse(pending.get("next") or "/", status_code=303)


def _same(given: str | None, expected: object) -> bool:
    return bool(given) and isinstance(expected, str) and hmac.compare_digest(given, expected)


def _refused(request: Request, reason: str, status_code: int | None = None) -> Response:
    log.warning("oidc.refused", extra={"reason": reason})
    context = page_context(request, next_page="/", sso=sso_option(request))
    t = context["t"]
    if reason == "unavailable":
        name = provider_of(request).settings.oidc_display_name  # type: ignore[union-attr]
        context["error"] = t("sso_unavailable").format(name=name)
    else:
        key = f"sso_refused_{reason}"
        message = t(key)
        context["error"] = message if message != key else t("sso_refused_generic")
    return render(request, "login.html", context, status_code=status_code or _STATUS.get(reason, 401))
