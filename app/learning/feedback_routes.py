"""Rating answers (JSON, from feedback.js) and the overview for curators and admins."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from app import i18n
from app.guard_policy import current_guard
from app.accounts.auth import verify_csrf
from app.deps import CurrentUser, SessionDep
from app.errors import Forbidden, InvalidRequest, NotFound
from app.learning.feedback import REASON_CODES, REASONS, build_overview, feedback_csv
from app.learning.prompt_service import is_curator
from app.learning.text_check import pseudonymised
from app.rendering import page_context, render
from app.storage import learning_store
from app.storage.tables import AnswerFeedback

router = APIRouter(prefix="/learning")

CLIENT_KEYS = ("fb_question", "fb_helpful", "fb_not_helpful", "fb_reason", "fb_reason_none", "fb_comment",
               "fb_send", "fb_saved", "fb_failed", "fb_check", "fb_share")


@router.get("/feedback/strings", include_in_schema=False)
def client_strings(request: Request, user: CurrentUser) -> JSONResponse:
    lang = i18n.request_language(request)
    t = i18n.translator(lang)
    return JSONResponse({"lang": lang, **{key: t(key) for key in CLIENT_KEYS},
                         "reasons": [[code, t(key)] for code, key in REASONS]})


class FeedbackIn(BaseModel):
    exchange_id: int
    helpful: bool
    reason: str | None = Field(default=None, max_length=32)
    comment: str = Field(default="", max_length=2000)
    prompt_id: int | None = None


@router.post("/feedback", include_in_schema=False)
async def rate_answer(body: FeedbackIn, request: Request, user: CurrentUser, session: SessionDep) -> JSONResponse:
    verify_csrf(request, request.headers.get("x-csrf-token", ""))
    if body.reason is not None and body.reason not in REASON_CODES:
        raise InvalidRequest("Bitte wählen Sie einen Grund aus der Liste.", "Please choose a reason from the list.")
    exchange = learning_store.own_answered_exchange(session, user.id, body.exchange_id)
    if exchange is None:
        raise NotFound()
    prompt_id = body.prompt_id if body.prompt_id and learning_store.get_prompt(session, body.prompt_id) else None
    comment = await pseudonymised(await current_guard(request), body.comment.strip())
    saved = learning_store.save_feedback(session, AnswerFeedback(
        exchange_id=exchange.id, user_id=user.id, model_id=exchange.model_id, prompt_id=prompt_id,
        helpful=body.helpful, reason=body.reason, comment=comment))
    return JSONResponse({"id": saved.id, "comment": saved.comment})


def _require_curator(user) -> None:
    if not is_curator(user):
        raise Forbidden()


@router.get("/feedback", include_in_schema=False)
def overview_page(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    _require_curator(user)
    feedback = learning_store.all_feedback(session)
    overview = build_overview(feedback, learning_store.all_votes(session))
    titles = {p.id: p.title for p in learning_store.all_prompts(session)}
    t = page_context(request)["t"]
    reason_labels = {code: t(key) for code, key in REASONS}
    return render(request, "learning/feedback_overview.html", page_context(
        request, user, overview=overview, titles=titles, reason_labels=reason_labels))


@router.get("/feedback.csv", include_in_schema=False)
def overview_csv(user: CurrentUser, session: SessionDep) -> Response:
    _require_curator(user)
    titles = {p.id: p.title for p in learning_store.all_prompts(session)}
    body = feedback_csv(learning_store.all_feedback(session), titles)
    return Response("\ufeff" + body, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="spielraum-rueckmeldungen.csv"', "Cache-Control": "no-store"})
