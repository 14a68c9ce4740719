"""Compare models: one prompt to two allowed models, then a vote on the more useful answer.

The page posts to the ordinary `/chat/stream` twice (learning.js), so both requests pass the
same guard and are logged like any chat turn, each in its own new conversation. Only the
vote is stored here; the models come from the stored exchanges, never from the browser.
"""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from app import i18n
from app.accounts.auth import verify_csrf
from app.chat.model_access import offer_for
from app.deps import CurrentUser, ModelDirectoryDep, SessionDep
from app.errors import InvalidRequest, NotFound
from app.rendering import page_context, render
from app.storage import learning_store
from app.storage.tables import ModelVote

router = APIRouter(prefix="/learning/compare")

CLIENT_KEYS = ("compare_vote", "compare_vote_a", "compare_vote_b", "compare_vote_tie", "compare_voted",
               "compare_same_model", "error_default", "network_error", "empty_prompt", "sending",
               "blocked_default", "fb_check")


@router.get("", include_in_schema=False)
def compare_page(request: Request, user: CurrentUser, session: SessionDep, directory: ModelDirectoryDep) -> Response:
    lang = i18n.request_language(request)
    t = i18n.translator(lang)
    models = offer_for(session, directory, user).models
    config = {"lang": lang, "strings": {key: t(key) for key in CLIENT_KEYS}}
    return render(request, "learning/compare.html", page_context(request, user, models=models, config=config))


class VoteIn(BaseModel):
    exchange_a: int
    exchange_b: int
    winner: str = Field(pattern="^(a|b|tie)$")


@router.post("/vote", include_in_schema=False)
def vote(body: VoteIn, request: Request, user: CurrentUser, session: SessionDep) -> JSONResponse:
    verify_csrf(request, request.headers.get("x-csrf-token", ""))
    a = learning_store.own_answered_exchange(session, user.id, body.exchange_a)
    b = learning_store.own_answered_exchange(session, user.id, body.exchange_b)
    if a is None or b is None or a.id == b.id:
        raise NotFound()
    if a.model_id == b.model_id:
        raise InvalidRequest("Bitte vergleichen Sie zwei verschiedene Modelle.", "Please compare two different models.")
    saved = learning_store.add_vote(session, ModelVote(user_id=user.id, exchange_a_id=a.id, exchange_b_id=b.id,
                                                       model_a=a.model_id, model_b=b.model_id, winner=body.winner))
    return JSONResponse({"id": saved.id})
