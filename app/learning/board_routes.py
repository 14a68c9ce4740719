"""The team board: share one's own exchange (as stored, pseudonymised) with a note; comment.

Nothing is shared without the explicit "Teilen" on the preview page, and the preview shows
the very text that will be copied to the board: the stored, pseudonymised prompt and
answer, never the originals restored in the sharer's browser. Notes and comments are
public, so personal data in them is refused (with the kinds named) rather than rewritten.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.guard_policy import current_guard
from app.accounts.auth import verify_csrf
from app.rendering import placeholder_parts
from app.deps import CurrentUser, SessionDep
from app.errors import NotFound
from app.learning.text_check import PersonalDataInText, require_no_personal_data
from app.rendering import page_context, render
from app.storage import learning_store
from app.storage.tables import BoardComment, BoardPost

router = APIRouter(prefix="/learning/board")

Note = Annotated[str, Form(max_length=2000)]
Csrf = Annotated[str, Form(max_length=200)]


def _own_exchange(session, user, exchange_id: int):
    exchange = learning_store.own_answered_exchange(session, user.id, exchange_id)
    if exchange is None or not exchange.answer_pseudonymised:
        raise NotFound()
    return exchange


def _message(request: Request, exc: PersonalDataInText) -> str:
    return exc.message_en if page_context(request)["lang"] == "en" else exc.message_de


@router.get("", include_in_schema=False)
def board_page(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    return _board(request, user, session)


def _board(request: Request, user, session, error: str | None = None, status_code: int = 200,
           kept: dict | None = None) -> Response:
    posts = learning_store.list_posts(session)
    comments = learning_store.comments_for(session, [post.id for post, _ in posts])
    return render(request, "learning/board.html", page_context(
        request, user, posts=posts, comments=comments, parts=placeholder_parts, error=error, kept=kept or {}),
        status_code=status_code)


@router.get("/share/{exchange_id}", include_in_schema=False)
def share_preview(exchange_id: int, request: Request, user: CurrentUser, session: SessionDep) -> Response:
    exchange = _own_exchange(session, user, exchange_id)
    return _preview(request, user, exchange, note="", error=None)


def _preview(request, user, exchange, *, note: str, error: str | None, status_code: int = 200) -> Response:
    return render(request, "learning/share.html", page_context(
        request, user, exchange=exchange, note=note, error=error, parts=placeholder_parts), status_code=status_code)


@router.post("/share/{exchange_id}", include_in_schema=False)
async def share(exchange_id: int, request: Request, user: CurrentUser, session: SessionDep,
                note: Note = "", csrf: Csrf = "") -> Response:
    verify_csrf(request, csrf)
    exchange = _own_exchange(session, user, exchange_id)
    try:
        await require_no_personal_data(await current_guard(request), note, public=True)
    except PersonalDataInText as exc:
        return _preview(request, user, exchange, note=note, error=_message(request, exc), status_code=400)
    post = learning_store.add_post(session, BoardPost(
        exchange_id=exchange.id, user_id=user.id, model_id=exchange.model_id,
        prompt_text=exchange.prompt_pseudonymised, answer_text=exchange.answer_pseudonymised, note=note.strip()))
    return RedirectResponse(f"/learning/board#post-{post.id}", status_code=303)


@router.post("/{post_id}/comments", include_in_schema=False)
async def comment(post_id: int, request: Request, user: CurrentUser, session: SessionDep,
                  text: Note = "", csrf: Csrf = "") -> Response:
    verify_csrf(request, csrf)
    post = learning_store.get_post(session, post_id)
    if post is None:
        raise NotFound()
    text = text.strip()
    if text:
        try:
            await require_no_personal_data(await current_guard(request), text, public=True)
        except PersonalDataInText as exc:
            return _board(request, user, session, error=_message(request, exc), status_code=400,
                              kept={post_id: text})
        learning_store.add_comment(session, BoardComment(post_id=post.id, user_id=user.id, text=text))
    return RedirectResponse(f"/learning/board#post-{post.id}", status_code=303)
