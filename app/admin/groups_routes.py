"""/admin/groups: departments that models can be restricted to, and their members.

The rules (names, renames that follow into the model restrictions, no deleting a group a
model still names) live in `users_service.py`; every change follows POST-redirect-GET.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.accounts.auth import verify_csrf
from app.admin import users_service
from app.admin.access import AdminUser
from app.admin.users_routes import error_message
from app.admin.users_service import AdminRefused
from app.deps import SessionDep
from app.errors import NotFound
from app.rendering import page_context, render
from app.storage import groups as group_store
from app.storage.crud import get_user_by_username
from app.storage.tables import MAX_ID, Group, User

router = APIRouter(prefix="/admin/groups")

Csrf = Annotated[str, Form(max_length=200)]
Name = Annotated[str, Form(max_length=200)]
Description = Annotated[str, Form(max_length=2000)]
_DONE = {"created": "admin_groups_done_created", "saved": "admin_groups_done_saved",
         "deleted": "admin_groups_done_deleted", "member": "admin_groups_done_member"}


def _notice(request: Request, context: dict) -> None:
    key = _DONE.get(request.query_params.get("done", ""))
    context["notice"] = context["t"](key) if key else None


def _list_page(request: Request, admin: User, session: Session, *, status_code: int = 200,
               errors: dict[str, str] | None = None, form: dict | None = None) -> Response:
    context = page_context(request, admin, groups=group_store.list_groups(session), errors=errors or {},
                           form=form or {})
    _notice(request, context)
    return render(request, "admin/groups.html", context, status_code=status_code)


@router.get("", include_in_schema=False)
def groups_list(request: Request, admin: AdminUser, session: SessionDep) -> Response:
    return _list_page(request, admin, session)


@router.post("", include_in_schema=False)
def groups_create(request: Request, admin: AdminUser, session: SessionDep, csrf: Csrf = "", name: Name = "",
                  description: Description = "") -> Response:
    verify_csrf(request, csrf)
    try:
        group = users_service.create_group(session, admin, name, description)
    except AdminRefused as refused:
        session.rollback()
        return _list_page(request, admin, session, status_code=400, form={"name": name, "description": description},
                          errors={refused.field or "name": error_message(request, refused)})
    return RedirectResponse(f"/admin/groups/{group.id}?done=created", status_code=303)


def _group(session: Session, group_id: int) -> Group:
    group = group_store.get_group(session, group_id) if 1 <= group_id <= MAX_ID else None
    if group is None:
        raise NotFound()
    return group


def _detail_page(request: Request, admin: User, session: Session, group: Group, *, status_code: int = 200,
                 errors: dict[str, str] | None = None, form: dict | None = None) -> Response:
    context = page_context(request, admin, group=group, members=group_store.members(session, group.id),
                           models=group_store.models_naming(session, group.name), errors=errors or {},
                           form=form or {"name": group.name, "description": group.description})
    _notice(request, context)
    return render(request, "admin/group.html", context, status_code=status_code)


def _refused(request: Request, admin: User, session: Session, group_id: int, refused: AdminRefused,
             form: dict | None = None) -> Response:
    session.rollback()
    return _detail_page(request, admin, session, _group(session, group_id), status_code=409 if not refused.field else 400,
                        errors={refused.field or "form": error_message(request, refused)}, form=form)


@router.get("/{group_id}", include_in_schema=False)
def group_detail(group_id: int, request: Request, admin: AdminUser, session: SessionDep) -> Response:
    return _detail_page(request, admin, session, _group(session, group_id))


@router.post("/{group_id}", include_in_schema=False)
def group_save(group_id: int, request: Request, admin: AdminUser, session: SessionDep, csrf: Csrf = "",
               name: Name = "", description: Description = "") -> Response:
    verify_csrf(request, csrf)
    try:
        users_service.update_group(session, admin, _group(session, group_id), name, description)
    except AdminRefused as refused:
        return _refused(request, admin, session, group_id, refused, form={"name": name, "description": description})
    return RedirectResponse(f"/admin/groups/{group_id}?done=saved", status_code=303)


@router.post("/{group_id}/delete", include_in_schema=False)
def group_delete(group_id: int, request: Request, admin: AdminUser, session: SessionDep, csrf: Csrf = "") -> Response:
    verify_csrf(request, csrf)
    try:
        users_service.delete_group(session, admin, _group(session, group_id))
    except AdminRefused as refused:
        return _refused(request, admin, session, group_id, refused)
    return RedirectResponse("/admin/groups?done=deleted", status_code=303)


@router.post("/{group_id}/members", include_in_schema=False)
def group_add_member(group_id: int, request: Request, admin: AdminUser, session: SessionDep, csrf: Csrf = "",
                     username: Name = "") -> Response:
    verify_csrf(request, csrf)
    group = _group(session, group_id)
    member = get_user_by_username(session, username.strip())
    if member is None:
        return _refused(request, admin, session, group_id, AdminRefused("admin_groups_err_member", "username"))
    users_service.change_membership(session, admin, group, member, True)
    return RedirectResponse(f"/admin/groups/{group_id}?done=member", status_code=303)


@router.post("/{group_id}/members/{user_id}/remove", include_in_schema=False)
def group_remove_member(group_id: int, user_id: int, request: Request, admin: AdminUser, session: SessionDep,
                        csrf: Csrf = "") -> Response:
    verify_csrf(request, csrf)
    group = _group(session, group_id)
    member = session.get(User, user_id) if 1 <= user_id <= MAX_ID else None
    if member is None:
        raise NotFound()
    users_service.change_membership(session, admin, group, member, False)
    return RedirectResponse(f"/admin/groups/{group_id}?done=member", status_code=303)
