"""Structured log lines: one JSON object per event, with the fields passed as `extra`.

Design choice: log calls name an event (`chat.answered`) and pass safe facts as `extra`
(ids, codes, counts, milliseconds). Message content is never logged: nothing in the app
passes prompt or answer text to a logger, and the request log records method, the route
template (`/c/{conversation_id}`, never the path as typed: a path can carry a name), status
and duration only (no query strings, which could carry input).
"""
from __future__ import annotations

import json
import logging
import sys
import time
from datetime import datetime, timezone

# Attributes every LogRecord has; anything else came in through `extra`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName", "color_message"}
_configured = False


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            # The exception type only: tracebacks can quote local variables' contents.
            entry["error_type"] = record.exc_info[0].__name__ if record.exc_info[0] else None
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO") -> None:
    """Install the JSON handler on the root logger once (tests build many apps)."""
    global _configured
    root = logging.getLogger()
    root.setLevel(level.upper())
    if _configured:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    for noisy in ("LiteLLM", "litellm", "httpx", "httpcore", "presidio-analyzer"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    _configured = True


class RequestLogMiddleware:
    """Pure ASGI (not BaseHTTPMiddleware), so streamed answers pass through unbuffered."""

    def __init__(self, app) -> None:
        self.app = app
        self.log = logging.getLogger("spielraum.http")

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def send_wrapper(message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            self.log.info("http.request", extra={
                "method": scope.get("method"), "path": route_template(scope), "status": status["code"],
                "ms": round((time.perf_counter() - started) * 1000, 1)})


UNMATCHED_ROUTE = "<unmatched>"


def route_template(scope) -> str:
    """The template of the route that served the request (`/c/{conversation_id}`).

    Starlette's router puts the matched route into the scope; FastAPI's does not for a
    mount (static files), which is found by its prefix and logged as `<prefix>/{path}`.
    A path that matched nothing is not logged at all.
    """
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str) and hasattr(route, "endpoint"):
        return path
    app = scope.get("app")
    for candidate in getattr(app, "routes", ()):
        prefix = getattr(candidate, "path", None)
        if (not hasattr(candidate, "endpoint") and hasattr(candidate, "routes") and isinstance(prefix, str)
                and scope.get("path", "").startswith(prefix.rstrip("/") + "/")):
            return prefix.rstrip("/") + "/{path}"
    return UNMATCHED_ROUTE
