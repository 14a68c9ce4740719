"""Pages of the prompt library: browse and search, use a prompt, own prompts, curation."""
from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.guard_policy import current_guard
from app.accounts.auth import verify_csrf
from app.deps import CurrentUser, SessionDep
from app.errors import AppError, Forbidden, InvalidRequest, NotFound
from app.learning import library
from app.learning.prompt_service import PromptDraft, PromptService, is_curator
from app.learning.text_check import PersonalDataInText, pseudonymised
from app.rendering import page_context, render
from app.storage import learning_store
from app.storage.tables import LibraryPrompt, PromptStatus

router = APIRouter(prefix="/learning")

Text = Annotated[str, Form(max_length=20000)]
Short = Annotated[str, Form(max_length=2000)]
Csrf = Annotated[str, Form(max_length=200)]


def _visible(prompt: LibraryPrompt | None, user) -> LibraryPrompt:
    """Published prompts for everyone; drafts for their owner and curators; otherwise 404."""
    if prompt is None:
        raise NotFound()
    if prompt.status == PromptStatus.PUBLISHED.value or prompt.owner_id == user.id or is_curator(user):
        return prompt
    raise NotFound()


@router.get("/library", include_in_schema=False)
def library_page(request: Request, user: CurrentUser, session: SessionDep, q: str = "", category: str = "") -> Response:
    q, category = q[:200], category[:100]
    prompts = learning_store.search_published(session, q, category)
    scores = learning_store.rating_scores(session, [p.id for p in prompts])
    # The most useful rise: by rating score, then by number of ratings, then by title.
    prompts.sort(key=lambda p: (-scores.get(p.id, (0, 0))[0], -scores.get(p.id, (0, 0))[1], p.title))
    return render(request, "learning/library.html", page_context(
        request, user, prompts=prompts, scores=scores, q=q, category=category,
        categories=learning_store.categories(session), curator=is_curator(user)))


@router.get("/library/{prompt_id}", include_in_schema=False)
def prompt_page(prompt_id: int, request: Request, user: CurrentUser, session: SessionDep) -> Response:
    prompt = _visible(learning_store.get_prompt(session, prompt_id), user)
    score = learning_store.rating_scores(session, [prompt.id]).get(prompt.id, (0, 0))
    return render(request, "learning/prompt.html", page_context(
        request, user, prompt=prompt, variables=library.variables(prompt.text), score=score,
        my_rating=learning_store.user_rating(session, prompt.id, user.id), curator=is_curator(user)))


@router.post("/library/{prompt_id}/use", include_in_schema=False)
async def use_prompt(prompt_id: int, request: Request, user: CurrentUser, session: SessionDep) -> Response:
    """Fill the variables and open the chat with the text in its input (never sent automatically)."""
    form = await request.form()
    verify_csrf(request, str(form.get("csrf", "")))
    prompt = _visible(learning_store.get_prompt(session, prompt_id), user)
    names = library.variables(prompt.text)
    values = {name: str(form.get(f"var_{index}", ""))[:5000] for index, name in enumerate(names)}
    filled = library.fill(prompt.text, values)
    return RedirectResponse("/?" + urlencode({"prompt": filled, "library_prompt": prompt.id}), status_code=303)


@router.post("/library/{prompt_id}/rate", include_in_schema=False)
def rate_prompt(prompt_id: int, request: Request, user: CurrentUser, session: SessionDep,
                value: Annotated[int, Form(ge=-1, le=1)], csrf: Csrf = "") -> Response:
    verify_csrf(request, csrf)
    prompt = _visible(learning_store.get_prompt(session, prompt_id), user)
    if prompt.status != PromptStatus.PUBLISHED.value or value == 0:
        raise NotFound()
    learning_store.rate_prompt(session, prompt.id, user.id, value)
    return RedirectResponse(f"/learning/library/{prompt.id}", status_code=303)


# -- own prompts -------------------------------------------------------------------------
@router.get("/prompts", include_in_schema=False)
def my_prompts(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    return render(request, "learning/my_prompts.html", page_context(
        request, user, prompts=learning_store.own_prompts(session, user.id), curator=is_curator(user)))


def _form_page(request: Request, user, draft: PromptDraft, action: str, error: str | None = None,
               status_code: int = 200) -> Response:
    return render(request, "learning/prompt_form.html", page_context(
        request, user, draft=draft, action=action, error=error), status_code=status_code)


@router.get("/prompts/new", include_in_schema=False)
def new_prompt(request: Request, user: CurrentUser) -> Response:
    return _form_page(request, user, PromptDraft(), "/learning/prompts")


async def _draft_from_form(request: Request) -> PromptDraft:
    form = await request.form()
    verify_csrf(request, str(form.get("csrf", "")))
    return PromptDraft.from_form(form)


def _refused(request: Request, user, draft: PromptDraft, action: str, exc: AppError) -> Response:
    lang = page_context(request)["lang"]
    return _form_page(request, user, draft, action, exc.message_en if lang == "en" else exc.message_de, 400)


@router.post("/prompts", include_in_schema=False)
async def create_prompt(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    draft = await _draft_from_form(request)
    service = PromptService(await current_guard(request))
    try:
        prompt = await service.create(session, user, draft)
    except (PersonalDataInText, InvalidRequest) as exc:
        return _refused(request, user, draft, "/learning/prompts", exc)
    return RedirectResponse(f"/learning/library/{prompt.id}", status_code=303)


@router.get("/prompts/{prompt_id}/edit", include_in_schema=False)
def edit_prompt(prompt_id: int, request: Request, user: CurrentUser, session: SessionDep) -> Response:
    prompt = PromptService.editable(learning_store.get_prompt(session, prompt_id), user)
    return _form_page(request, user, PromptDraft.of(prompt), f"/learning/prompts/{prompt.id}")


@router.post("/prompts/{prompt_id}", include_in_schema=False)
async def update_prompt(prompt_id: int, request: Request, user: CurrentUser, session: SessionDep) -> Response:
    draft = await _draft_from_form(request)
    prompt = PromptService.editable(learning_store.get_prompt(session, prompt_id), user)
    try:
        await PromptService(await current_guard(request)).update(session, user, prompt, draft)
    except (PersonalDataInText, InvalidRequest) as exc:
        return _refused(request, user, draft, f"/learning/prompts/{prompt_id}", exc)
    return RedirectResponse(f"/learning/library/{prompt_id}", status_code=303)


@router.post("/prompts/{prompt_id}/submit", include_in_schema=False)
def submit_prompt(prompt_id: int, request: Request, user: CurrentUser, session: SessionDep, csrf: Csrf = "") -> Response:
    verify_csrf(request, csrf)
    prompt = learning_store.get_prompt(session, prompt_id)
    if prompt is None or prompt.owner_id != user.id:
        raise NotFound()
    PromptService.submit(session, prompt)
    return RedirectResponse("/learning/prompts", status_code=303)


# -- curation ----------------------------------------------------------------------------
def _require_curator(user) -> None:
    if not is_curator(user):
        raise Forbidden()


@router.get("/curate", include_in_schema=False)
def curate_page(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    _require_curator(user)
    submitted = learning_store.prompts_with_status(session, PromptStatus.SUBMITTED.value)
    owners = learning_store.usernames(session, [p.owner_id for p in submitted if p.owner_id])
    return render(request, "learning/curate.html", page_context(
        request, user, submitted=submitted, owners=owners, variables=library.variables))


@router.post("/curate/{prompt_id}/{decision}", include_in_schema=False)
async def curate_decision(prompt_id: int, decision: str, request: Request, user: CurrentUser, session: SessionDep,
                    csrf: Csrf = "", note: Short = "") -> Response:
    verify_csrf(request, csrf)
    _require_curator(user)
    prompt = learning_store.get_prompt(session, prompt_id)
    if prompt is None or prompt.status != PromptStatus.SUBMITTED.value or decision not in ("publish", "reject"):
        raise NotFound()
    # The note goes back to the author; like every stored remark it is kept pseudonymised.
    note = await pseudonymised(await current_guard(request), note)
    PromptService.decide(session, prompt, publish=decision == "publish", note=note)
    return RedirectResponse("/learning/curate", status_code=303)
