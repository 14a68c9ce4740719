"""Plugging the learning workspace into the app: shipped library, routers, first-steps check."""
from __future__ import annotations

import logging

from fastapi import FastAPI

from app.learning.library import load_shipped

log = logging.getLogger("spielraum.learning")


def install_learning(app: FastAPI) -> None:
    from app.learning import basics_routes, board_routes, compare_routes, feedback_routes, library_routes, session_routes

    counts = load_shipped(app.state.engine)
    log.info("library.loaded", extra=counts)
    app.include_router(library_routes.router)
    app.include_router(basics_routes.router)
    app.include_router(feedback_routes.router)
    app.include_router(board_routes.router)
    app.include_router(compare_routes.router)
    app.include_router(session_routes.router)
    basics_routes.install_first_login_check(app)
