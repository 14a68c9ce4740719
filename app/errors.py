"""Errors that carry their HTTP status, a stable code and a message in German and English.

Design choice: routes and services raise `AppError` (or a provider's `ProviderError`) and
never build responses for failures themselves. One handler decides the form: API clients
under `/v1` get OpenAI's error shape `{"error": {"message", "type", "code"}}`, other
JSON clients the same shape plus `message_en`, browsers the `error.html` page (or a
redirect to the login page when they are not signed in). Messages never contain user input.
"""
from __future__ import annotations

import logging
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.logging_setup import route_template
from app.page_headers import apply_page_headers
from providers import ProviderError

log = logging.getLogger("spielraum.errors")


class AppError(Exception):
    status_code: int = 400
    code: str = "bad_request"
    message_de: str = "Die Anfrage konnte nicht verarbeitet werden."
    message_en: str = "The request could not be processed."

    def __init__(self, message_de: str | None = None, message_en: str | None = None, *,
                 code: str | None = None, status_code: int | None = None,
                 extra: dict | None = None) -> None:
        self.message_de = message_de or self.message_de
        self.message_en = message_en or self.message_en
        self.code = code or self.code
        self.status_code = status_code or self.status_code
        # Safe, structured details for API clients (e.g. blocked entity types); never values.
        self.extra = extra or {}
        super().__init__(self.code)


class NotAuthenticated(AppError):
    status_code = 401
    code = "not_authenticated"
    message_de = "Bitte melden Sie sich an."
    message_en = "Please sign in."


class InvalidApiToken(AppError):
    status_code = 401
    code = "invalid_api_key"
    message_de = ("Der API-Schlüssel fehlt oder ist ungültig. Senden Sie ihn als "
                  "'Authorization: Bearer <Schlüssel>'.")
    message_en = "The API key is missing or invalid. Send it as 'Authorization: Bearer <key>'."


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"
    message_de = "Dafür fehlt Ihnen die Berechtigung."
    message_en = "You do not have permission to do this."


class CsrfFailed(AppError):
    status_code = 403
    code = "csrf_failed"
    message_de = "Das Formular ist abgelaufen. Bitte laden Sie die Seite neu und versuchen Sie es erneut."
    message_en = "The form has expired. Please reload the page and try again."


class NotFound(AppError):
    status_code = 404
    code = "not_found"
    message_de = "Diese Seite oder Unterhaltung wurde nicht gefunden."
    message_en = "This page or conversation was not found."


class ModelNotFound(AppError):
    status_code = 404
    code = "model_not_found"
    message_de = "Das gewählte Modell ist nicht verfügbar. Bitte wählen Sie ein anderes Modell."
    message_en = "The selected model is not available. Please choose another model."


class InvalidRequest(AppError):
    status_code = 400
    code = "invalid_request"


class PromptTooLong(AppError):
    status_code = 413
    code = "prompt_too_long"
    message_de = "Ihre Eingabe ist zu lang. Bitte kürzen Sie sie oder teilen Sie sie auf."
    message_en = "Your input is too long. Please shorten it or split it up."


class PiiBlocked(AppError):
    status_code = 400
    code = "pii_blocked"
    message_de = ("Ihre Nachricht wurde nicht gesendet, weil sie Daten enthält, die nicht an ein "
                  "Sprachmodell gehen dürfen. Bitte entfernen Sie diese Angaben und senden Sie erneut.")
    message_en = ("Your message was not sent because it contains data that must not go to a "
                  "language model. Please remove it and send again.")


class GuardFailed(AppError):
    status_code = 503
    code = "guard_unavailable"
    message_de = ("Die Prüfung auf personenbezogene Daten ist gerade nicht möglich. Zu Ihrem Schutz "
                  "wurde nichts an das Sprachmodell gesendet. Bitte versuchen Sie es gleich noch einmal.")
    message_en = ("The personal-data check is not available right now. To protect you, nothing "
                  "was sent to the language model. Please try again in a moment.")


class GuardBusy(AppError):
    """Every guard slot is taken and the queue is full or its wait ran out: retry shortly."""
    status_code = 503
    code = "guard_busy"
    message_de = ("Spielraum ist gerade stark ausgelastet. Ihre Nachricht wurde nicht gesendet. "
                  "Bitte versuchen Sie es in einigen Sekunden erneut.")
    message_en = ("Spielraum is very busy right now. Your message was not sent. "
                  "Please try again in a few seconds.")

    def __init__(self, retry_after: int = 5) -> None:
        super().__init__()
        self.retry_after = retry_after


_OPENAI_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
                 404: "invalid_request_error", 413: "invalid_request_error", 415: "invalid_request_error", 422: "invalid_request_error",
                 429: "rate_limit_error"}


def openai_error_type(status_code: int) -> str:
    return _OPENAI_TYPES.get(status_code, "server_error" if status_code >= 500 else "invalid_request_error")


def prefers_english(request: Request) -> bool:
    """API clients choose by Accept-Language; the web session's language wins for browsers."""
    session = request.scope.get("session") or {}
    if session.get("lang") in ("de", "en"):
        return session["lang"] == "en"
    return request.headers.get("accept-language", "de").strip().lower().startswith("en")


def error_body(status_code: int, code: str, message_de: str, message_en: str, *, english: bool,
               extra: dict | None = None) -> dict:
    error = {"message": message_en if english else message_de, "type": openai_error_type(status_code),
             "param": None, "code": code, "message_de": message_de, "message_en": message_en}
    error.update(extra or {})
    return {"error": error}


def _wants_html(request: Request) -> bool:
    if request.url.path.startswith("/v1"):
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept


def _respond(request: Request, status_code: int, code: str, message_de: str, message_en: str,
             extra: dict | None = None) -> Response:
    log.info("request.failed", extra={"path": route_template(request.scope), "status": status_code, "code": code})
    if _wants_html(request):
        if status_code == 401:
            return RedirectResponse(_login_url(request), status_code=303)
        return _error_page(request, status_code, message_de, message_en)
    return JSONResponse(error_body(status_code, code, message_de, message_en,
                                   english=prefers_english(request), extra=extra),
                        status_code=status_code)


def _login_url(request: Request) -> str:
    """The sign-in page, remembering a page the browser asked for, so a deep link survives sign-in."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET" or target == "/" or len(target) > 500:
        return "/login"
    return "/login?" + urlencode({"next": target})


def _signed_in_user(request: Request):
    """The session's user, also where no route dependency ran (an unknown address), so the
    error page keeps the navigation of a signed-in person."""
    user = getattr(request.state, "user", None)
    if user is not None or "session" not in request.scope:
        return user
    from sqlmodel import Session

    from app.accounts.auth import SESSION_USER_KEY
    from app.storage import crud

    user_id = request.session.get(SESSION_USER_KEY)
    if not isinstance(user_id, int):
        return None
    try:
        with Session(request.app.state.engine) as session:
            user = crud.get_user(session, user_id)
            if user is not None:
                session.expunge(user)
    except Exception:  # noqa: BLE001 - an error page must render even when the database does not
        return None
    return user if user is not None and user.is_active else None


def _error_page(request: Request, status_code: int, message_de: str, message_en: str) -> Response:
    from app.rendering import page_context  # the UI's context; imported late to stay optional

    context = page_context(request, _signed_in_user(request))
    lang = context["lang"]
    context.update(status_code=status_code, message=message_en if lang == "en" else message_de)
    templates = request.app.state.templates
    return apply_page_headers(templates.TemplateResponse(request, "error.html", context,
                                                         status_code=status_code))


_HTTP_MESSAGES = {
    404: (NotFound.message_de, NotFound.message_en, "not_found"),
    405: ("Diese Methode ist hier nicht erlaubt.", "This method is not allowed here.", "method_not_allowed"),
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> Response:
        response = _respond(request, exc.status_code, exc.code, exc.message_de, exc.message_en, exc.extra)
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            response.headers["Retry-After"] = str(retry_after)
        return response

    @app.exception_handler(ProviderError)
    async def _provider_error(request: Request, exc: ProviderError) -> Response:
        return _respond(request, exc.http_status, exc.code, exc.user_message, exc.user_message_en)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        de, en, code = _HTTP_MESSAGES.get(
            exc.status_code, (AppError.message_de, AppError.message_en, f"http_{exc.status_code}"))
        return _respond(request, exc.status_code, code, de, en)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        if _wants_html(request):
            # A person gets plain words; field names are for developers and API clients.
            return _respond(request, 400, "invalid_request",
                            "Diese Anfrage konnte nicht verarbeitet werden. Bitte prüfen Sie die Adresse "
                            "oder kehren Sie zum Chat zurück.",
                            "This request could not be processed. Please check the address or go back "
                            "to the chat.")
        # Name the fields, never echo their values: a prompt could be among them.
        fields = sorted({".".join(str(p) for p in err.get("loc", ())) for err in exc.errors()})
        return _respond(request, 400, "invalid_request",
                        f"Die Anfrage ist unvollständig oder fehlerhaft (Felder: {', '.join(fields)}).",
                        f"The request is incomplete or malformed (fields: {', '.join(fields)}).")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.error("request.crashed", extra={"path": route_template(request.scope), "error_type": type(exc).__name__})
        return _respond(request, 500, "internal_error",
                        "Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es erneut.",
                        "An unexpected error occurred. Please try again.")
