"""Lern-Sessions: a facilitator sets a task, participants contribute their tries (copied as
stored, pseudonymised) side by side, and the facilitator keeps the best prompt in the library
together with what the team learned.

A kept prompt is a template like any other: it must carry neither personal data nor the
placeholders that stood in for it, so the facilitator turns them into `{{variables}}` in the
form first. It is published at once when the facilitator is a curator, otherwise it waits
for a curator like any submission.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.guard_policy import current_guard
from app.accounts.auth import verify_csrf
from app.rendering import placeholder_parts
from app.deps import CurrentUser, SessionDep
from app.errors import AppError, InvalidRequest, NotFound
from app.learning.prompt_service import PromptDraft, PromptService, is_curator
from app.learning.text_check import PersonalDataInText, require_no_personal_data
from app.rendering import page_context, render
from app.storage import learning_store
from app.storage.tables import LearningSession, LibraryPrompt, PromptOrigin, PromptStatus, SessionEntry
from guardrails import PLACEHOLDER_RE

router = APIRouter(prefix="/learning/sessions")

Short = Annotated[str, Form(max_length=200)]
Long = Annotated[str, Form(max_length=4000)]
Csrf = Annotated[str, Form(max_length=200)]


def _message(request: Request, exc: AppError) -> str:
    return exc.message_en if page_context(request)["lang"] == "en" else exc.message_de


@router.get("", include_in_schema=False)
def sessions_page(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    return _list(request, user, session)


def _list(request, user, session, error: str | None = None, kept: dict | None = None, status_code: int = 200):
    return render(request, "learning/sessions.html", page_context(
        request, user, sessions=learning_store.list_learning_sessions(session), error=error, kept=kept or {}),
        status_code=status_code)


@router.post("", include_in_schema=False)
async def create_session(request: Request, user: CurrentUser, session: SessionDep,
                         title: Short = "", task: Long = "", csrf: Csrf = "") -> Response:
    verify_csrf(request, csrf)
    title, task = title.strip(), task.strip()
    kept = {"title": title, "task": task}
    try:
        if not title or not task:
            raise InvalidRequest("Bitte geben Sie einen Titel und eine Aufgabe ein.", "Please enter a title and a task.")
        await require_no_personal_data(await current_guard(request), title, task, public=True)
    except (PersonalDataInText, InvalidRequest) as exc:
        return _list(request, user, session, error=_message(request, exc), kept=kept, status_code=400)
    item = learning_store.add_learning_session(session, LearningSession(facilitator_id=user.id, title=title, task=task))
    return RedirectResponse(f"/learning/sessions/{item.id}", status_code=303)


def _get(session, session_id: int) -> LearningSession:
    item = learning_store.get_learning_session(session, session_id)
    if item is None:
        raise NotFound()
    return item


def _detail(request, user, session, item: LearningSession, error: str | None = None, status_code: int = 200,
            draft: dict | None = None) -> Response:
    entries = learning_store.entries_of(session, item.id)
    names = learning_store.usernames(session, [item.facilitator_id])
    return render(request, "learning/session.html", page_context(
        request, user, item=item, entries=entries, facilitator=names.get(item.facilitator_id, ""),
        is_facilitator=item.facilitator_id == user.id,
        mine=learning_store.recent_answered_exchanges(session, user.id) if item.is_open else [],
        kept_prompt=learning_store.get_prompt(session, item.kept_prompt_id) if item.kept_prompt_id else None,
        parts=placeholder_parts, error=error, draft=draft or {}), status_code=status_code)


@router.get("/{session_id}", include_in_schema=False)
def session_page(session_id: int, request: Request, user: CurrentUser, session: SessionDep) -> Response:
    return _detail(request, user, session, _get(session, session_id))


@router.post("/{session_id}/entries", include_in_schema=False)
def contribute(session_id: int, request: Request, user: CurrentUser, session: SessionDep,
               exchange_id: Annotated[int, Form()], csrf: Csrf = "") -> Response:
    verify_csrf(request, csrf)
    item = _get(session, session_id)
    exchange = learning_store.own_answered_exchange(session, user.id, exchange_id)
    if exchange is None or not item.is_open:
        raise NotFound()
    learning_store.add_entry(session, SessionEntry(
        session_id=item.id, user_id=user.id, exchange_id=exchange.id, model_id=exchange.model_id,
        prompt_text=exchange.prompt_pseudonymised, answer_text=exchange.answer_pseudonymised))
    return RedirectResponse(f"/learning/sessions/{item.id}#entries", status_code=303)


@router.post("/{session_id}/keep", include_in_schema=False)
async def keep_best(session_id: int, request: Request, user: CurrentUser, session: SessionDep,
                    title: Short = "", text: Annotated[str, Form(max_length=20000)] = "", lesson: Long = "",
                    csrf: Csrf = "") -> Response:
    verify_csrf(request, csrf)
    item = _get(session, session_id)
    if item.facilitator_id != user.id or not item.is_open:
        raise NotFound()
    draft = PromptDraft(title=title.strip(), category="Lern-Session", good_for=item.task[:2000],
                        watch_out=lesson.strip()[:2000], text=text.strip())
    try:
        if PLACEHOLDER_RE.search(draft.text):
            raise PersonalDataInText(
                "Der Prompt enthält noch Platzhalter wie [PERSON_1]. Bitte ersetzen Sie sie durch Variablen wie {{Name}}.",
                "The prompt still contains placeholders such as [PERSON_1]. Please replace them with variables such as {{Name}}.")
        await PromptService(await current_guard(request)).check(draft)
        await require_no_personal_data(await current_guard(request), lesson, public=True)
    except (PersonalDataInText, InvalidRequest) as exc:
        return _detail(request, user, session, item, error=_message(request, exc), status_code=400,
                       draft={"title": title, "text": text, "lesson": lesson})
    status = PromptStatus.PUBLISHED if is_curator(user) else PromptStatus.SUBMITTED
    prompt = LibraryPrompt(**draft.as_fields(), owner_id=user.id, origin=PromptOrigin.USER.value, status=status.value)
    learning_store.keep_best(session, item, prompt, lesson.strip())
    return RedirectResponse(f"/learning/sessions/{item.id}", status_code=303)
