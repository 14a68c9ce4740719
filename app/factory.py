"""`create_app(settings)`: the one place where the application is put together.

Everything a request needs (settings, database engine, guard, model catalogue, chat
service, templates) is built here and kept on `app.state`; nothing is built at import
time, so tests create as many independent apps as they like. A guard can be passed in,
because loading the NLP pipelines takes seconds and tests share one (or inject a broken one).

Without a model catalogue (`SPIELRAUM_MODELS_FILE` unset) the app still starts with an
empty catalogue: health says so and the chat page explains that IT has not set up a model.
A catalogue file that is set but broken stops the start with a message naming the problem.
The file's (or built-in) models are the base of `app.state.models` (a `ModelDirectory`),
which adds the models IT configures in the browser and follows their changes at once.
"""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from app.accounts.auth import session_secret
from app.accounts.oidc_provider import OidcProvider
from app.admin.sections import SECTIONS as ADMIN_SECTIONS
from app.chat.documents import DOCUMENT_PATH
from app.chat.guard_gate import GuardGate
from app.chat.model_directory import SOURCE_BUILTIN, SOURCE_FILE, BaseModels, ModelDirectory
from app.chat.model_keys import cipher_from_settings
from app.chat.pipeline import ChatPipeline
from app.chat.api_schema import install_openapi
from app.accounts.login_throttle import SignInThrottle
from app.accounts.password_first import install_password_first
from app.chat.web_service import ChatService
from app.storage.engine import build_engine
from app.storage.schema import upgrade_database
from app.errors import install_error_handlers
from app.storage.exchange_log import ExchangeLog
from app.guard_policy import PolicyCache
from app.guard_setup import guard_from_settings
from app.learning.setup import install_learning
from app.logging_setup import RequestLogMiddleware, configure_logging
from app.request_limits import RequestLimitMiddleware
from app.security_headers import install_security_headers
from app.settings import Settings
from guardrails import Guard
from app.chat.demo_model import DEMO_MODEL_ID, demo_model_spec
from app.chat.local_model import configured_local_model
from providers import LOCAL_MODEL_ID, Catalogue, load_catalogue, prepare_litellm

log = logging.getLogger("spielraum.app")

APP_DIR = Path(__file__).resolve().parent
STATIC_DIR = APP_DIR / "static"
TEMPLATES_DIR = APP_DIR.parent / "templates"

# The demo echo and the local llama.cpp model come with Spielraum, whatever the models file says.
BUILT_IN_IDS = frozenset({DEMO_MODEL_ID, LOCAL_MODEL_ID})


def base_models(settings: Settings) -> BaseModels:
    """The models that do not live in the database, each labelled with where it comes from."""
    catalogue = load_models(settings)
    return BaseModels(catalogue, {
        spec.id: SOURCE_BUILTIN if spec.id in BUILT_IN_IDS or settings.models_file is None else SOURCE_FILE
        for spec in catalogue.models})


def load_models(settings: Settings) -> Catalogue:
    catalogue = _configured_models(settings)
    local = configured_local_model(settings)  # the optional llama.cpp demo model, after the others
    return Catalogue([*catalogue.models, local]) if local else catalogue


def _configured_models(settings: Settings) -> Catalogue:
    if settings.models_file is None:
        if settings.demo_model and settings.self_url:
            log.warning("catalogue.demo_only")
            return Catalogue([demo_model_spec(settings.self_url)])
        log.warning("catalogue.not_configured")
        return Catalogue([])
    return load_catalogue(settings.models_file)


@asynccontextmanager
async def lifespan(app: FastAPI):
    # Pay litellm's import cost at start-up, not on the first person's prompt.
    await anyio.to_thread.run_sync(prepare_litellm)
    async with anyio.create_task_group() as jobs:
        settings = app.state.settings
        if settings.retention_job:
            from app.dpo.retention import retention_loop

            jobs.start_soon(retention_loop, app.state.engine, settings.retention_days,
                            settings.retention_interval_seconds)
        yield
        jobs.cancel_scope.cancel()
    app.state.engine.dispose()


def create_app(settings: Settings | None = None, *, guard: Guard | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings.log_level)
    base = base_models(settings)
    engine = build_engine(settings)
    upgrade_database(engine)
    if settings.config_file is not None:
        from app.admin.config_startup import apply_config_file

        apply_config_file(engine, settings.config_file)  # a broken file stops the start here
    guard = guard or guard_from_settings(settings)

    app = FastAPI(title="Spielraum", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json")
    app.state.settings = settings
    app.state.engine = engine
    app.state.guard = guard
    app.state.models = ModelDirectory(engine, base, cipher_from_settings(settings))
    app.state.models.catalogue()  # built once before the first request; /healthz reads it without a query
    app.state.guard_policies = PolicyCache(engine, guard)
    app.state.guard_gate = GuardGate(settings.guard_slots, settings.guard_queue_limit,
                                     settings.guard_queue_seconds, settings.guard_retry_after_seconds)
    app.state.chat_pipeline = ChatPipeline(guard, app.state.models, ExchangeLog(engine), settings, app.state.guard_gate,
                                           policies=app.state.guard_policies)
    app.state.chat_service = ChatService(app.state.chat_pipeline)
    app.state.templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    app.state.templates.env.globals["admin_sections"] = ADMIN_SECTIONS
    app.state.login_throttle = SignInThrottle(engine, session_secret(settings))
    # Only an object: the provider is first asked when someone signs in (app/accounts/oidc_provider.py).
    app.state.oidc = OidcProvider(settings) if settings.oidc_enabled else None

    app.add_middleware(RequestLimitMiddleware, max_body_bytes=settings.max_request_bytes,
                       upload_paths=frozenset({DOCUMENT_PATH}))
    app.add_middleware(
        SessionMiddleware, secret_key=session_secret(settings), session_cookie=settings.session_cookie,
        max_age=settings.session_max_age_seconds, same_site="lax", https_only=settings.session_https_only)
    app.add_middleware(RequestLogMiddleware)
    install_security_headers(app, https_only=settings.session_https_only)
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR), check_dir=False), name="static")
    _include_routers(app)
    install_openapi(app)
    install_password_first(app)  # before the learning workspace's Grundlagen check: password first
    install_learning(app)
    log.info("app.created", extra={"models": len(app.state.models.peek()), "database": engine.dialect.name})
    return app


def _include_routers(app: FastAPI) -> None:
    from app import health
    from app.accounts import account_routes, oidc_routes, routes as sign_in_routes
    from app.admin import (changes_routes, config_routes, groups_routes as admin_groups,
                           guard_routes as admin_guard_routes, model_routes as admin_model_routes,
                           routes as admin_routes, users_routes as admin_users)
    from app.chat import api_routes as api_openai, conversations, demo_upstream, documents, pages
    from app.dpo import routes as dpo_routes

    if DEMO_MODEL_ID in app.state.models.base.catalogue:
        app.include_router(demo_upstream.router)

    app.include_router(health.router)
    app.include_router(api_openai.router)
    app.include_router(sign_in_routes.router)
    app.include_router(oidc_routes.router)
    app.include_router(account_routes.router)
    app.include_router(pages.router)
    app.include_router(dpo_routes.router)
    app.include_router(admin_routes.router)
    app.include_router(admin_model_routes.router)
    app.include_router(admin_guard_routes.router)
    app.include_router(admin_users.router)
    app.include_router(admin_groups.router)
    app.include_router(config_routes.router)
    app.include_router(changes_routes.router)
    app.include_router(conversations.router)
    app.include_router(documents.router)
