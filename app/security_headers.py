"""Security headers on every response: pages, JSON, static files, errors and streams alike.

Pure ASGI (not BaseHTTPMiddleware): it only adds headers to `http.response.start` and passes
every body message through untouched, so streamed answers stay unbuffered. Headers a route
set itself win (the pages' Content-Security-Policy comes from `app/page_headers.py`).
"""
from __future__ import annotations

BASE_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
# Two years, as the HSTS preload list asks; only sent when the app is configured for HTTPS.
HSTS = (b"strict-transport-security", b"max-age=63072000; includeSubDomains")


def security_headers(https_only: bool) -> tuple[tuple[bytes, bytes], ...]:
    return BASE_HEADERS + ((HSTS,) if https_only else ())


class SecurityHeadersMiddleware:
    def __init__(self, app, *, https_only: bool = False) -> None:
        self.app = app
        self.headers = security_headers(https_only)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in self.headers if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install_security_headers(app, *, https_only: bool) -> None:
    """Wrap the whole middleware stack, Starlette's ServerErrorMiddleware included.

    `add_middleware` would sit inside ServerErrorMiddleware, and the app's handler for
    unexpected exceptions answers from there: its 500 would miss the headers.
    """
    build_stack = app.build_middleware_stack

    def build_with_headers():
        return SecurityHeadersMiddleware(build_stack(), https_only=https_only)

    app.build_middleware_stack = build_with_headers
