"""Headers every HTML page gets, the chat pages and the error page alike.

The pages load only their own files and inline nothing executable, so a strict policy
costs nothing and turns any markup that slipped into a page into inert text.
"""
from __future__ import annotations

from starlette.responses import Response

CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                           "frame-ancestors 'none'")


def apply_page_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["Cache-Control"] = "no-store"
    return response
