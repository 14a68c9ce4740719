"""/admin/users: the list with search and paging, creating accounts, and one account's page
(role, groups, lock and unlock, password reset, revoking API tokens).

The rules live in `users_service.py`. Changes follow POST-redirect-GET with a status
message, except where a one-time password is shown: it is rendered into the answer to the
request that made it and is never stored anywhere it could be shown again (the session
cookie is signed, not encrypted, so it is no place for it either).
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app import i18n
from app.accounts.auth import verify_csrf
from app.accounts.password_first import SESSION_FLAG as PASSWORD_OK
from app.accounts.password_rule import MIN_LENGTH
from app.accounts.user_sessions import SESSION_ID_KEY
from app.admin import users_service
from app.admin.access import AdminUser
from app.admin.users_service import AdminRefused
from app.deps import SessionDep
from app.rendering import page_context, render
from app.storage import groups as group_store, user_admin
from app.storage.tables import MAX_ID, ROLES, User

router = APIRouter(prefix="/admin/users")

Csrf = Annotated[str, Form(max_length=200)]
_DONE = {"role": "admin_users_done_role", "groups": "admin_users_done_groups",
         "deactivated": "admin_users_done_deactivated", "activated": "admin_users_done_activated",
         "tokens": "admin_users_done_tokens"}
MAX_PAGE = 100_000


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and 1 <= int(raw) <= MAX_PAGE else 1


def error_message(request: Request, refused: AdminRefused) -> str:
    lang = i18n.request_language(request)
    message = i18n.translator(lang)(refused.key)
    detail = refused.detail_de if lang == "de" else refused.detail_en
    return f"{message} {detail}".strip()


# -- the list ------------------------------------------------------------------------------
def _list_page(request: Request, admin: User, session: Session, *, status_code: int = 200,
               errors: dict[str, str] | None = None, form: dict | None = None) -> Response:
    query = request.query_params.get("q", "")[:64]
    listing = user_admin.users_page(session, query, _page_number(request.query_params.get("page")))
    context = page_context(request, admin, listing=listing, query=query, roles=ROLES,
                           groups=[g for g, _ in group_store.list_groups(session)], min_length=MIN_LENGTH,
                           errors=errors or {}, form=form or {"role": "employee", "groups": []})
    return render(request, "admin/users.html", context, status_code=status_code)


@router.get("", include_in_schema=False)
def users_list(request: Request, admin: AdminUser, session: SessionDep) -> Response:
    return _list_page(request, admin, session)


@router.post("", include_in_schema=False)
def users_create(request: Request, admin: AdminUser, session: SessionDep, csrf: Csrf = "",
                 username: Annotated[str, Form(max_length=200)] = "",
                 role: Annotated[str, Form(max_length=16)] = "employee",
                 password: Annotated[str, Form(max_length=1000)] = "",
                 groups: Annotated[list[int], Form()] = []) -> Response:  # noqa: B006 - FastAPI copies defaults
    verify_csrf(request, csrf)
    try:
        created, generated = users_service.create_user(session, admin, username=username, role=role,
                                                       password=password, group_ids=groups)
    except AdminRefused as refused:
        session.rollback()
        form = {"username": username.strip(), "role": role, "groups": groups}
        return _list_page(request, admin, session, status_code=400, form=form,
                          errors={refused.field or "username": error_message(request, refused)})
    if generated is None:
        return RedirectResponse(f"/admin/users/{created.id}?done=created", status_code=303)
    return _detail_page(request, admin, session, created, one_time=generated, notice_key="admin_users_created",
                        status_code=201)


# -- one account ---------------------------------------------------------------------------
def _detail_page(request: Request, admin: User, session: Session, target: User, *, status_code: int = 200,
                 one_time: str | None = None, notice_key: str | None = None, error: str | None = None) -> Response:
    done = request.query_params.get("done", "")
    notice_key = notice_key or _DONE.get(done) or ("admin_users_created" if done == "created" else None)
    context = page_context(
        request, admin, target=target, roles=ROLES, groups=[g for g, _ in group_store.list_groups(session)],
        member_of=group_store.group_names_of(session, target.id), tokens=user_admin.token_count(session, target.id),
        one_time=one_time, error=error)
    context["notice"] = context["t"](notice_key).format(name=target.username) if notice_key else None
    return render(request, "admin/user.html", context, status_code=status_code)


def _target(session: Session, user_id: int) -> User:
    if not 1 <= user_id <= MAX_ID:
        from app.errors import NotFound
        raise NotFound()
    return users_service.get_user(session, user_id)


def _refused(request: Request, admin: User, session: Session, user_id: int, refused: AdminRefused) -> Response:
    session.rollback()
    target = _target(session, user_id)
    return _detail_page(request, admin, session, target, status_code=409, error=error_message(request, refused))


@router.get("/{user_id}", include_in_schema=False)
def user_detail(user_id: int, request: Request, admin: AdminUser, session: SessionDep) -> Response:
    return _detail_page(request, admin, session, _target(session, user_id))


@router.post("/{user_id}/role", include_in_schema=False)
def user_role(user_id: int, request: Request, admin: AdminUser, session: SessionDep, csrf: Csrf = "",
              role: Annotated[str, Form(max_length=16)] = "") -> Response:
    verify_csrf(request, csrf)
    try:
        users_service.change_role(session, admin, _target(session, user_id), role)
    except AdminRefused as refused:
        return _refused(request, admin, session, user_id, refused)
    return RedirectResponse(f"/admin/users/{user_id}?done=role", status_code=303)


@router.post("/{user_id}/groups", include_in_schema=False)
def user_groups(user_id: int, request: Request, admin: AdminUser, session: SessionDep, csrf: Csrf = "",
                groups: Annotated[list[int], Form()] = []) -> Response:  # noqa: B006
    verify_csrf(request, csrf)
    try:
        users_service.set_groups(session, admin, _target(session, user_id), groups)
    except AdminRefused as refused:
        return _refused(request, admin, session, user_id, refused)
    return RedirectResponse(f"/admin/users/{user_id}?done=groups", status_code=303)


@router.post("/{user_id}/deactivate", include_in_schema=False)
def user_deactivate(user_id: int, request: Request, admin: AdminUser, session: SessionDep,
                    csrf: Csrf = "") -> Response:
    return _set_active(user_id, request, admin, session, csrf, False)


@router.post("/{user_id}/reactivate", include_in_schema=False)
def user_reactivate(user_id: int, request: Request, admin: AdminUser, session: SessionDep,
                    csrf: Csrf = "") -> Response:
    return _set_active(user_id, request, admin, session, csrf, True)


def _set_active(user_id: int, request: Request, admin: User, session: Session, csrf: str, active: bool) -> Response:
    verify_csrf(request, csrf)
    try:
        users_service.set_active(session, admin, _target(session, user_id), active)
    except AdminRefused as refused:
        return _refused(request, admin, session, user_id, refused)
    return RedirectResponse(f"/admin/users/{user_id}?done={'activated' if active else 'deactivated'}",
                            status_code=303)


@router.post("/{user_id}/password", include_in_schema=False)
def user_password(user_id: int, request: Request, admin: AdminUser, session: SessionDep,
                  csrf: Csrf = "") -> Response:
    verify_csrf(request, csrf)
    target = _target(session, user_id)
    try:
        generated = users_service.reset_password(session, admin, target,
                                                 actor_session_id=request.session.get(SESSION_ID_KEY))
    except AdminRefused as refused:
        return _refused(request, admin, session, user_id, refused)
    if target.id == admin.id:
        # The session remembers that its password was fine; now it is not (password_first.py).
        request.session.pop(PASSWORD_OK, None)
    return _detail_page(request, admin, session, target, one_time=generated, notice_key="admin_users_password_reset")


@router.post("/{user_id}/tokens/revoke", include_in_schema=False)
def user_tokens_revoke(user_id: int, request: Request, admin: AdminUser, session: SessionDep,
                       csrf: Csrf = "") -> Response:
    verify_csrf(request, csrf)
    users_service.revoke_tokens(session, admin, _target(session, user_id))
    return RedirectResponse(f"/admin/users/{user_id}?done=tokens", status_code=303)
