"""/admin/guard: IT's guard policy, the deny and allow lists, the test console, the capabilities.

Reads like a table of contents; the rules live in `guard_admin.py`. Every POST checks the
CSRF token; changes follow POST-redirect-GET with a status message, a form with errors is
shown again (400) with each error next to its field and in a summary. The test console
answers its POST directly: nothing is stored, so there is nothing to redirect to.
"""
from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, select

from app import i18n
from app.accounts.auth import verify_csrf
from app.admin import guard_admin
from app.admin.access import AdminUser
from app.admin.guard_strings import ENTITY_EXPLANATIONS
from app.deps import GuardDep, SessionDep, SettingsDep
from app.rendering import placeholder_parts
from app.rendering import page_context, render
from app.storage import guard_rules
from app.storage.tables import GuardTermEntry
from guardrails import Guard

router = APIRouter(prefix="/admin/guard")

_SAVED = {"rules": "admin_guard_saved_rules", "term": "admin_guard_saved_term",
          "removed": "admin_guard_removed_term", "none": "admin_guard_nothing_changed"}


def _page(request: Request, user, session: Session, guard: Guard, *, status_code: int = 200,
          rules_form: guard_admin.RulesForm | None = None, term_form: guard_admin.TermForm | None = None) -> Response:
    lang = i18n.request_language(request)
    rows = guard_admin.rule_rows(session, guard)
    if rules_form is not None:   # show what was submitted, with the errors next to it
        for row in rows:
            row.action, row.threshold = rules_form.values.get(row.key, (row.action, row.threshold))
    terms = list(session.exec(select(GuardTermEntry).order_by(GuardTermEntry.id)))
    file_policy = request.app.state.guard_policies.base_policy
    context = page_context(
        request, user, rows=rows, actions=guard_admin.ACTIONS,
        explanations=ENTITY_EXPLANATIONS.get(lang, ENTITY_EXPLANATIONS["de"]),
        label=lambda kind: i18n.entity_label(kind, 1, lang),
        deny_terms=[t for t in terms if t.list_kind == guard_rules.DENY],
        allow_terms=[t for t in terms if t.list_kind == guard_rules.ALLOW],
        file_deny=file_policy.deny_terms, file_allow=file_policy.allow_terms,
        deny_types=guard_admin.entity_types(guard, guard.policy),
        rules_errors=rules_form.errors if rules_form else {},
        term_form=term_form, saved=_SAVED.get(request.query_params.get("saved", "")))
    return render(request, "admin/guard.html", context, status_code=status_code)


@router.get("", include_in_schema=False)
def guard_page(request: Request, user: AdminUser, session: SessionDep, guard: GuardDep) -> Response:
    return _page(request, user, session, guard)


@router.post("/rules", include_in_schema=False)
async def save_rules(request: Request, user: AdminUser, guard: GuardDep) -> Response:
    form = await request.form()
    verify_csrf(request, str(form.get("csrf", "")))
    submitted = {}
    for kind in ["*", *guard_admin.entity_types(guard, guard.policy)]:
        key = guard_admin.field_key(kind)
        submitted[key] = (str(form.get(f"action-{key}", ""))[:16], str(form.get(f"threshold-{key}", ""))[:16])

    def work() -> Response:
        with Session(request.app.state.engine) as session:
            result = guard_admin.save_rules(session, user, guard, request.app.state.guard_policies.base_policy,
                                             submitted)
            if result.errors:
                return _page(request, user, session, guard, status_code=400, rules_form=result)
        return RedirectResponse(f"/admin/guard?saved={'rules' if result.changed else 'none'}", status_code=303)
    return await anyio.to_thread.run_sync(work)


@router.post("/terms", include_in_schema=False)
def add_term(request: Request, user: AdminUser, session: SessionDep, guard: GuardDep,
             list_kind: Annotated[str, Form(max_length=8)] = "",
             pattern: Annotated[str, Form(max_length=1000)] = "",
             is_regex: Annotated[str, Form(max_length=8)] = "",
             entity_type: Annotated[str, Form(max_length=64)] = "CONFIDENTIAL",
             note: Annotated[str, Form(max_length=500)] = "",
             csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    verify_csrf(request, csrf)
    kind = guard_rules.DENY if list_kind == guard_rules.DENY else guard_rules.ALLOW
    form = guard_admin.add_term(session, user, guard, guard_admin.TermForm(
        kind, pattern, bool(is_regex), entity_type, note))
    if form.errors:
        return _page(request, user, session, guard, status_code=400, term_form=form)
    return RedirectResponse(f"/admin/guard?saved=term#{kind}-list", status_code=303)


@router.post("/terms/{term_id}/delete", include_in_schema=False)
def remove_term(term_id: int, request: Request, user: AdminUser, session: SessionDep,
                csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    verify_csrf(request, csrf)
    removed = guard_admin.remove_term(session, user, term_id)
    return RedirectResponse(f"/admin/guard?saved={'removed' if removed else 'none'}", status_code=303)


@router.get("/test", include_in_schema=False)
def test_console(request: Request, user: AdminUser) -> Response:
    return render(request, "admin/guard_test.html", page_context(request, user, text="", result=None, error=None))


@router.post("/test", include_in_schema=False)
async def run_test(request: Request, user: AdminUser, guard: GuardDep, settings: SettingsDep,
                   text: Annotated[str, Form(max_length=200_000)] = "",
                   csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    verify_csrf(request, csrf)
    error = None
    if not text.strip():
        error = "admin_guard_test_empty"
    elif len(text) > settings.max_prompt_chars:
        error = "admin_guard_test_too_long"
    result = None
    if error is None:
        # Through the guard gate like a chat prompt: the console must not starve the chat.
        result = await request.app.state.guard_gate.run(guard_admin.test_text, guard, text)
    lang = i18n.request_language(request)
    parts = None
    if result is not None and not result.blocked:
        parts = placeholder_parts(result.sent_text, lang)
    context = page_context(request, user, text=text, result=result, error=error, sent_parts=parts,
                           label=lambda kind: i18n.entity_label(kind, 1, lang))
    return render(request, "admin/guard_test.html", context, status_code=400 if error else 200)


@router.get("/capabilities", include_in_schema=False)
def capabilities(request: Request, user: AdminUser, guard: GuardDep) -> Response:
    return render(request, "admin/guard_capabilities.html",
                  page_context(request, user, caps=guard.capabilities()))
