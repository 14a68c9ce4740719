"""Malformed requests end here with a clear 4xx, before any route or parser sees them.

Pure ASGI, in front of the routes: it reads a request body (bodies here are small JSON or
form posts, never uploads), refuses one over the size limit with 413 (by its announced
length before reading, by its real length while reading), and for JSON bodies refuses
invalid UTF-8 and nesting deeper than `MAX_JSON_DEPTH` with 400. The depth is measured by
a cheap scan of the brackets outside strings, so `json.loads` never recurses into a
100,000-deep array (which raised RecursionError, a 500). The checked body is then handed
to the app unchanged. Responses are never touched, so streams stay unbuffered.
"""
from __future__ import annotations

import json
import re

from app.errors import error_body
from app.storage.tables import MAX_ID

MAX_JSON_DEPTH = 32
# Every byte that is not a bracket, for `bytes.translate(None, delete=…)`.
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def json_depth(raw: bytes) -> int:
    """The deepest bracket nesting of a JSON text, brackets inside strings not counted."""
    brackets = _JSON_STRING.sub(b'""', raw).translate(None, delete=_NOT_BRACKETS)
    depth = deepest = 0
    for byte in brackets:
        if byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _has_impossible_id(path: str) -> bool:
    return any(part.isdigit() and (len(part) > 10 or int(part) > MAX_ID) for part in path.split("/"))


def is_json_type(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


class RequestLimitMiddleware:
    def __init__(self, app, *, max_body_bytes: int, upload_paths: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        # Paths that take a file (a document to read) stream it to their route, which reads it
        # in chunks and refuses it past its own, larger limit with a message about the file.
        self.upload_paths = upload_paths

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and _has_impossible_id(scope.get("path", "")):
            # Every id in a path is a database key of at most MAX_ID; a longer number would
            # overflow the database's integer (a 500 on PostgreSQL), so it is simply not found.
            await self._refuse(scope, send, 404, "not_found", "Diese Seite gibt es nicht.",
                               "This page does not exist.")
            return
        if (scope["type"] != "http" or scope.get("method") not in _BODY_METHODS
                or scope.get("path", "") in self.upload_paths):
            await self.app(scope, receive, send)
            return
        headers = {name.lower(): value for name, value in scope.get("headers", [])}
        announced = headers.get(b"content-length", b"").decode("latin-1").strip()
        if announced and not announced.isdigit():
            await self._refuse(scope, send, 400, "invalid_content_length",
                               "Die Längenangabe der Anfrage (Content-Length) ist ungültig.",
                               "The request's Content-Length header is invalid.")
            return
        if announced and int(announced) > self.max_body_bytes:
            await self._refuse_too_large(scope, send)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body.extend(message.get("body", b""))
            more = message.get("more_body", False)
            if len(body) > self.max_body_bytes:
                await self._refuse_too_large(scope, send)
                return
        problem = self._json_problem(bytes(body), headers.get(b"content-type", b"").decode("latin-1"))
        if problem is not None:
            await self._refuse(scope, send, 400, *problem)
            return
        await self.app(scope, _replay(bytes(body), receive), send)

    @staticmethod
    def _json_problem(body: bytes, content_type: str) -> tuple[str, str, str] | None:
        if not body or not is_json_type(content_type):
            return None
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return ("invalid_utf8", "Der Anfragetext ist kein gültiges UTF-8.",
                    "The request body is not valid UTF-8.")
        if json_depth(body) > MAX_JSON_DEPTH:
            return ("json_too_deep",
                    f"Der Anfragetext ist zu tief verschachtelt (höchstens {MAX_JSON_DEPTH} Ebenen).",
                    f"The request body is nested too deeply (at most {MAX_JSON_DEPTH} levels).")
        return None

    async def _refuse_too_large(self, scope, send) -> None:
        await self._refuse(scope, send, 413, "request_too_large",
                           "Die Anfrage ist zu groß. Bitte kürzen Sie Ihre Eingabe.",
                           "The request is too large. Please shorten your input.")

    @staticmethod
    async def _refuse(scope, send, status: int, code: str, message_de: str, message_en: str) -> None:
        headers = {name.lower(): value for name, value in scope.get("headers", [])}
        english = headers.get(b"accept-language", b"").decode("latin-1").strip().lower().startswith("en")
        payload = json.dumps(error_body(status, code, message_de, message_en, english=english),
                             ensure_ascii=False).encode("utf-8")
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
            (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": payload})


def _replay(body: bytes, receive):
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect, as Starlette expects

    return replay
