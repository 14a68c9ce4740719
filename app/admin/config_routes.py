"""/admin/config: download the configuration as YAML, upload one, preview, confirm.

The upload is checked completely before anything is shown; the preview page carries the
file's text in a hidden field together with a fingerprint of the configuration it was
compared with. Confirming re-validates the text, and if someone changed the configuration
in between, shows the new preview instead of importing blindly (POST-redirect-GET after).
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from app import i18n
from app.accounts.auth import verify_csrf
from app.admin import config_io
from app.admin.access import AdminUser
from app.admin.config_diff import AREAS, Plan
from app.admin.config_yaml import ConfigFileInvalid
from app.deps import SessionDep
from app.rendering import page_context, render

router = APIRouter(prefix="/admin/config", include_in_schema=False)

MAX_KB = config_io.MAX_FILE_BYTES // 1024


@router.get("")
def config_page(request: Request, user: AdminUser) -> Response:
    t = i18n.translator(i18n.request_language(request))
    imported = request.query_params.get("imported")
    areas = [t(f"admin_config_area_{area}") for area in imported.split(",") if area in AREAS] if imported else []
    return _page(request, user, imported=", ".join(areas) or None,
                 unchanged=request.query_params.get("unchanged") == "1")


def _page(request: Request, user, *, errors: list | None = None, message: str | None = None,
          imported: str | None = None, unchanged: bool = False, status_code: int = 200) -> Response:
    context = page_context(request, user, errors=errors or [], message=message, imported=imported,
                           unchanged=unchanged, max_kb=MAX_KB)
    return render(request, "admin/config.html", context, status_code=status_code)


@router.get("/export")
def export(user: AdminUser, session: SessionDep) -> Response:
    now = datetime.now(timezone.utc)
    text = config_io.export_from(session, now)
    name = f"spielraum-config-{now:%Y-%m-%d}.yaml"
    return Response(text, media_type="application/yaml; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{name}"', "cache-control": "no-store"})


@router.post("/preview")
def preview(request: Request, user: AdminUser, session: SessionDep,
            file: Annotated[UploadFile | None, File()] = None,
            csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    verify_csrf(request, csrf)
    t = i18n.translator(i18n.request_language(request))
    if file is None or not file.filename:
        return _page(request, user, message=t("admin_config_no_file"), status_code=400)
    raw = file.file.read(config_io.MAX_FILE_BYTES + 1)
    if len(raw) > config_io.MAX_FILE_BYTES:
        return _page(request, user, message=t("admin_config_too_large").format(kb=MAX_KB), status_code=413)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _page(request, user, message=t("admin_config_not_text"), status_code=400)
    return _preview_or_errors(request, user, session, text, _source(file.filename))


def _source(filename: str) -> str:
    return filename.replace("\\", "/").rsplit("/", 1)[-1][:100] or "config.yaml"


def _preview_or_errors(request, user, session, text: str, source: str, *, stale: bool = False) -> Response:
    try:
        plan = config_io.preview(session, text, source)
    except ConfigFileInvalid as exc:
        return _page(request, user, errors=exc.problems, status_code=400)
    return _preview_page(request, user, plan, text, source, config_io.fingerprint(session), stale)


def _preview_page(request, user, plan: Plan, text: str, source: str, fingerprint: str, stale: bool) -> Response:
    context = page_context(request, user, plan=plan, areas=AREAS, document=text, source=source,
                           fingerprint=fingerprint, stale=stale)
    return render(request, "admin/config_preview.html", context, status_code=409 if stale else 200)


@router.post("/import")
def import_config(request: Request, user: AdminUser, session: SessionDep,
                  document: Annotated[str, Form(max_length=config_io.MAX_FILE_BYTES)] = "",
                  source: Annotated[str, Form(max_length=100)] = "config.yaml",
                  fingerprint: Annotated[str, Form(max_length=64)] = "",
                  csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    verify_csrf(request, csrf)
    source = _source(source)
    if fingerprint != config_io.fingerprint(session):
        return _preview_or_errors(request, user, session, document, source, stale=True)
    try:
        plan = config_io.preview(session, document, source)
    except ConfigFileInvalid as exc:
        return _page(request, user, errors=exc.problems, status_code=400)
    areas = config_io.apply(session, plan, config_io.Actor.of(user), source)
    if not areas:
        return RedirectResponse("/admin/config?unchanged=1", status_code=303)
    return RedirectResponse(f"/admin/config?imported={','.join(areas)}", status_code=303)
