"""/admin/models: the models IT offers, added, edited, tested, switched on and off in the browser.

Models from the catalogue file (or built in) are listed read-only and can be tested; the ones
added here live in `model_entries`. Every POST checks the CSRF token and answers with a
redirect to a page that says what happened (POST-redirect-GET); a form with mistakes is shown
again with the message next to each field and in a summary at the top.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.accounts.auth import verify_csrf
from app.admin import model_service
from app.admin.access import AdminUser
from app.admin.connection_test import run_test
from app.admin.model_form import KEY_MODES, LOCATION_SUGGESTIONS, ModelForm
from app.chat.model_directory import ModelDirectory
from app.errors import NotFound
from app.rendering import page_context, render
from app.storage import model_entries
from app.storage.groups import all_group_names
from app.storage.tables import ModelEntry
from providers.catalogue import KNOWN_ROLES

router = APIRouter(prefix="/admin/models")

T = TypeVar("T")
TEST_RESULT_KEY = "admin_models_test"
DONE_MESSAGES = {"created": "admin_models_done_created", "updated": "admin_models_done_updated",
                 "enabled": "admin_models_done_enabled", "disabled": "admin_models_done_disabled",
                 "default": "admin_models_done_default", "deleted": "admin_models_done_deleted"}


async def _db(request: Request, work: Callable[[Session], T]) -> T:
    """Database work off the event loop, in a short session of its own."""
    def run() -> T:
        with Session(request.app.state.engine, expire_on_commit=False) as session:
            return work(session)
    return await anyio.to_thread.run_sync(run)


def _directory(request: Request) -> ModelDirectory:
    return request.app.state.models


def _entry_or_404(session: Session, entry_id: int) -> ModelEntry:
    entry = model_entries.get_entry(session, entry_id)
    if entry is None:
        raise NotFound()
    return entry


# -- the list ------------------------------------------------------------------------------
@router.get("", include_in_schema=False)
def model_list(request: Request, user: AdminUser) -> Response:
    directory = _directory(request)
    with Session(request.app.state.engine) as session:
        catalogue = directory.catalogue(session)
        entries = model_entries.list_entries(session)
    default = catalogue.default
    rows = [_file_row(directory, spec) for spec in directory.base.catalogue.models]
    rows += [_entry_row(entry, entry.model_id in directory.base.catalogue) for entry in entries]
    test = request.session.pop(TEST_RESULT_KEY, None)
    done = DONE_MESSAGES.get(request.query_params.get("done", ""))
    return render(request, "admin/models.html", page_context(
        request, user, section="admin_models", rows=rows, default_id=default.id if default else None,
        test=test, done=done))


def _file_row(directory: ModelDirectory, spec) -> dict[str, Any]:
    return {"id": spec.id, "entry_id": None, "name": spec.display_name, "source": directory.source_of(spec.id),
            "enabled": True, "roles": list(spec.roles), "all_roles": set(spec.roles) == set(KNOWN_ROLES),
            "groups": list(spec.groups), "max_tokens": spec.max_tokens, "temperature": spec.temperature,
            "requests_per_day": spec.requests_per_day, "location": spec.location,
            "litellm_model": spec.litellm_model, "key": "env" if spec.api_key_env else "none",
            "api_key_env": spec.api_key_env, "shadowed": False}


def _entry_row(entry: ModelEntry, shadowed: bool) -> dict[str, Any]:
    roles = model_entries.roles_of(entry)
    return {"id": entry.model_id, "entry_id": entry.id, "name": entry.display_name, "source": "admin",
            "enabled": entry.enabled, "roles": roles or list(KNOWN_ROLES), "all_roles": not roles,
            "groups": model_entries.groups_of(entry), "max_tokens": entry.max_tokens,
            "temperature": entry.temperature, "requests_per_day": entry.requests_per_day,
            "location": entry.location, "litellm_model": entry.litellm_model,
            "key": "stored" if entry.api_key_encrypted else ("env" if entry.api_key_env else "none"),
            "api_key_env": entry.api_key_env, "shadowed": shadowed}


# -- add and edit ----------------------------------------------------------------------------
def _form_page(request: Request, user, form: ModelForm, *, entry: ModelEntry | None, groups: list[str],
               status_code: int = 200) -> Response:
    return render(request, "admin/model_form.html", page_context(
        request, user, section="admin_models", form=form, entry=entry, known_roles=KNOWN_ROLES,
        known_groups=groups, key_modes=KEY_MODES, locations=LOCATION_SUGGESTIONS,
        has_stored_key=bool(entry and entry.api_key_encrypted)), status_code=status_code)


def _form_of(entry: ModelEntry) -> ModelForm:
    def text(value: Any) -> str:
        return "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
    return ModelForm(
        model_id=entry.model_id, display_name=entry.display_name, description=entry.description,
        location=entry.location, litellm_model=entry.litellm_model, api_base=entry.api_base or "",
        key_mode="stored" if entry.api_key_encrypted else ("env" if entry.api_key_env else "none"),
        api_key_env=entry.api_key_env or "", max_tokens=text(entry.max_tokens), temperature=text(entry.temperature),
        requests_per_day=text(entry.requests_per_day), timeout_seconds=text(entry.timeout_seconds),
        roles=model_entries.roles_of(entry), groups=model_entries.groups_of(entry), enabled=entry.enabled,
        is_default=entry.is_default)


@router.get("/new", include_in_schema=False)
def new_model(request: Request, user: AdminUser) -> Response:
    with Session(request.app.state.engine) as session:
        groups = all_group_names(session)
    return _form_page(request, user, ModelForm(), entry=None, groups=groups)


async def _posted_form(request: Request) -> tuple[ModelForm, dict]:
    data = await request.form()
    verify_csrf(request, str(data.get("csrf") or ""))
    form = ModelForm.from_post(dict(data), roles=[str(v) for v in data.getlist("roles")],
                               groups=[str(v) for v in data.getlist("groups")])
    return form, dict(data)


@router.post("/new", include_in_schema=False)
async def create_model(request: Request, user: AdminUser) -> Response:
    form, _ = await _posted_form(request)
    directory = _directory(request)

    def work(session: Session) -> tuple[ModelEntry | None, list[str]]:
        groups = all_group_names(session)
        taken = {entry.model_id for entry in model_entries.list_entries(session)} | {
            spec.id for spec in directory.base.catalogue.models}
        values = form.validate(taken_ids=taken, known_groups=groups, has_stored_key=False, editing=False)
        if form.errors:
            return None, groups
        return model_service.create(session, user, form.model_id, values, form.key_mode, form.new_api_key,
                                    directory.cipher), groups

    entry, groups = await _db(request, work)
    if entry is None:
        return _form_page(request, user, form, entry=None, groups=groups, status_code=400)
    return RedirectResponse("/admin/models?done=created", status_code=303)


@router.get("/{entry_id}/edit", include_in_schema=False)
def edit_model(entry_id: int, request: Request, user: AdminUser) -> Response:
    with Session(request.app.state.engine) as session:
        entry = _entry_or_404(session, entry_id)
        groups = all_group_names(session)
    return _form_page(request, user, _form_of(entry), entry=entry, groups=groups)


@router.post("/{entry_id}/edit", include_in_schema=False)
async def update_model(entry_id: int, request: Request, user: AdminUser) -> Response:
    form, _ = await _posted_form(request)
    directory = _directory(request)

    def work(session: Session) -> tuple[ModelEntry, list[str]]:
        entry = _entry_or_404(session, entry_id)
        form.model_id = entry.model_id
        groups = all_group_names(session)
        values = form.validate(taken_ids=set(), known_groups=groups, has_stored_key=bool(entry.api_key_encrypted),
                               editing=True)
        if not form.errors:
            model_service.update(session, user, entry, values, form.key_mode, form.new_api_key, directory.cipher)
        return entry, groups

    entry, groups = await _db(request, work)
    if form.errors:
        return _form_page(request, user, form, entry=entry, groups=groups, status_code=400)
    return RedirectResponse("/admin/models?done=updated", status_code=303)


# -- switch on and off, default, delete ------------------------------------------------------
async def _change_entry(request: Request, entry_id: int, change: Callable[[Session, ModelEntry], None],
                        done: str) -> Response:
    """One checked form post that changes one browser-made model, then back to the list."""
    data = await request.form()
    verify_csrf(request, str(data.get("csrf") or ""))
    await _db(request, lambda session: change(session, _entry_or_404(session, entry_id)))
    return RedirectResponse(f"/admin/models?done={done}", status_code=303)


@router.post("/{entry_id}/enabled", include_in_schema=False)
async def switch_model(entry_id: int, request: Request, user: AdminUser) -> Response:
    enabled = (await request.form()).get("enabled") == "1"
    return await _change_entry(request, entry_id,
                               lambda session, entry: model_service.set_enabled(session, user, entry, enabled),
                               "enabled" if enabled else "disabled")


@router.post("/{entry_id}/default", include_in_schema=False)
async def default_model(entry_id: int, request: Request, user: AdminUser) -> Response:
    return await _change_entry(request, entry_id,
                               lambda session, entry: model_service.make_default(session, user, entry), "default")


@router.get("/{entry_id}/delete", include_in_schema=False)
def confirm_delete(entry_id: int, request: Request, user: AdminUser) -> Response:
    with Session(request.app.state.engine) as session:
        entry = _entry_or_404(session, entry_id)
    return render(request, "admin/model_delete.html", page_context(request, user, section="admin_models",
                                                                   entry=entry))


@router.post("/{entry_id}/delete", include_in_schema=False)
async def delete_model(entry_id: int, request: Request, user: AdminUser) -> Response:
    return await _change_entry(request, entry_id,
                               lambda session, entry: model_service.delete(session, user, entry), "deleted")


# -- "Verbindung testen" ----------------------------------------------------------------------
@router.post("/test", include_in_schema=False)
async def test_model(request: Request, user: AdminUser) -> Response:
    data = await request.form()
    verify_csrf(request, str(data.get("csrf") or ""))
    model_id = str(data.get("model_id") or "")[:200]
    outcome = await run_test(request.app.state.engine, _directory(request), user, model_id)
    if outcome is None:
        raise NotFound()
    request.session[TEST_RESULT_KEY] = outcome.as_dict()
    return RedirectResponse("/admin/models#test-result", status_code=303)
