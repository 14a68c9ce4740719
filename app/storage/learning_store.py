"""Reading and writing the learning tables (library, first steps, feedback, board, votes).

Like `crud`, every function takes the Session it works in, and ownership is part of the
query. Every text that arrives here was checked by the guard first (library prompts) or
pseudonymised by it (comments, notes); this module never sees an original value.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, func, or_, select

from app.storage.tables import (
    AnswerFeedback, BasicsConfirmation, BoardComment, BoardPost, Exchange, LearningSession, LibraryPrompt,
    ModelVote, PromptRating, PromptStatus, SessionEntry, User, utcnow,
)


# -- library prompts ---------------------------------------------------------------------
def get_prompt(session: Session, prompt_id: int) -> LibraryPrompt | None:
    return session.get(LibraryPrompt, prompt_id)


def get_prompt_by_key(session: Session, source_key: str) -> LibraryPrompt | None:
    return session.exec(select(LibraryPrompt).where(LibraryPrompt.source_key == source_key)).first()


def rating_scores(session: Session, prompt_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """{prompt id: (score, number of ratings)}; score = useful minus not useful."""
    ids = list(prompt_ids)
    if not ids:
        return {}
    rows = session.exec(
        select(PromptRating.prompt_id, func.sum(PromptRating.value), func.count())
        .where(col(PromptRating.prompt_id).in_(ids)).group_by(PromptRating.prompt_id))
    return {prompt_id: (int(score or 0), int(count)) for prompt_id, score, count in rows}


def search_published(session: Session, query: str = "", category: str = "") -> list[LibraryPrompt]:
    """Published prompts matching the words of `query` (title, purpose, text) and the category."""
    statement = select(LibraryPrompt).where(LibraryPrompt.status == PromptStatus.PUBLISHED.value)
    if category:
        statement = statement.where(LibraryPrompt.category == category)
    for word in query.split()[:8]:
        pattern = f"%{word.casefold()}%"
        statement = statement.where(or_(
            func.lower(LibraryPrompt.title).like(pattern), func.lower(LibraryPrompt.good_for).like(pattern),
            func.lower(LibraryPrompt.text).like(pattern), func.lower(LibraryPrompt.category).like(pattern)))
    return list(session.exec(statement.order_by(col(LibraryPrompt.title))))


def categories(session: Session) -> list[str]:
    rows = session.exec(select(LibraryPrompt.category).where(
        LibraryPrompt.status == PromptStatus.PUBLISHED.value).distinct())
    return sorted(category for category in rows if category)


def prompts_with_status(session: Session, status: str) -> list[LibraryPrompt]:
    return list(session.exec(select(LibraryPrompt).where(LibraryPrompt.status == status)
                             .order_by(col(LibraryPrompt.updated_at))))


def own_prompts(session: Session, user_id: int) -> list[LibraryPrompt]:
    return list(session.exec(select(LibraryPrompt).where(LibraryPrompt.owner_id == user_id)
                             .order_by(col(LibraryPrompt.updated_at).desc())))


def all_prompts(session: Session) -> list[LibraryPrompt]:
    return list(session.exec(select(LibraryPrompt).order_by(col(LibraryPrompt.category),
                                                            col(LibraryPrompt.title))))


def save_prompt(session: Session, prompt: LibraryPrompt) -> LibraryPrompt:
    prompt.updated_at = utcnow()
    session.add(prompt)
    session.commit()
    session.refresh(prompt)
    return prompt


def upsert_sourced_prompt(session: Session, fields: dict, content_hash: str, origin: str) -> str:
    """Add or update a shipped/imported entry by its key; returns "added", "updated",
    "unchanged" or "kept" (edited locally: the local version wins over the file)."""
    existing = get_prompt_by_key(session, fields["source_key"])
    if existing is None:
        session.add(LibraryPrompt(**fields, origin=origin, content_hash=content_hash,
                                  status=PromptStatus.PUBLISHED.value))
        session.commit()
        return "added"
    if existing.locally_edited:
        return "kept"
    if existing.content_hash == content_hash:
        return "unchanged"
    for key, value in fields.items():
        setattr(existing, key, value)
    existing.content_hash = content_hash
    save_prompt(session, existing)
    return "updated"


def rate_prompt(session: Session, prompt_id: int, user_id: int, value: int) -> None:
    rating = session.exec(select(PromptRating).where(PromptRating.prompt_id == prompt_id,
                                                     PromptRating.user_id == user_id)).first()
    if rating is None:
        rating = PromptRating(prompt_id=prompt_id, user_id=user_id)
    rating.value = value
    session.add(rating)
    session.commit()


def user_rating(session: Session, prompt_id: int, user_id: int) -> int | None:
    rating = session.exec(select(PromptRating).where(PromptRating.prompt_id == prompt_id,
                                                     PromptRating.user_id == user_id)).first()
    return rating.value if rating else None


# -- first steps -------------------------------------------------------------------------
def basics_confirmed(session: Session, user_id: int, version: int) -> bool:
    return session.exec(select(BasicsConfirmation).where(
        BasicsConfirmation.user_id == user_id, BasicsConfirmation.version >= version)).first() is not None


def confirm_basics(session: Session, user_id: int, version: int) -> None:
    if not basics_confirmed(session, user_id, version):
        session.add(BasicsConfirmation(user_id=user_id, version=version))
        session.commit()


# -- exchanges seen from the learning features ------------------------------------------
def own_answered_exchange(session: Session, user_id: int, exchange_id: int) -> Exchange | None:
    """The caller's exchange with an answer; someone else's looks exactly like a missing one."""
    exchange = session.get(Exchange, exchange_id)
    if exchange is None or exchange.user_id != user_id or exchange.verdict != "sent":
        return None
    return exchange


# -- answer feedback ---------------------------------------------------------------------
def save_feedback(session: Session, feedback: AnswerFeedback) -> AnswerFeedback:
    """One rating per person and answer: a second rating replaces the first."""
    existing = session.exec(select(AnswerFeedback).where(
        AnswerFeedback.exchange_id == feedback.exchange_id, AnswerFeedback.user_id == feedback.user_id)).first()
    if existing is not None:
        existing.helpful, existing.reason, existing.comment = feedback.helpful, feedback.reason, feedback.comment
        existing.prompt_id = feedback.prompt_id or existing.prompt_id
        existing.created_at = utcnow()
        feedback = existing
    session.add(feedback)
    session.commit()
    session.refresh(feedback)
    return feedback


def all_feedback(session: Session) -> list[AnswerFeedback]:
    return list(session.exec(select(AnswerFeedback).order_by(col(AnswerFeedback.created_at).desc())))


def all_votes(session: Session) -> list[ModelVote]:
    return list(session.exec(select(ModelVote).order_by(col(ModelVote.created_at).desc())))


def add_vote(session: Session, vote: ModelVote) -> ModelVote:
    """One vote per person and pair of answers: voting again changes the vote."""
    existing = session.exec(select(ModelVote).where(
        ModelVote.user_id == vote.user_id, ModelVote.exchange_a_id == vote.exchange_a_id,
        ModelVote.exchange_b_id == vote.exchange_b_id)).first()
    if existing is not None:
        existing.winner, existing.created_at = vote.winner, utcnow()
        vote = existing
    session.add(vote)
    session.commit()
    session.refresh(vote)
    return vote


# -- team board --------------------------------------------------------------------------
def add_post(session: Session, post: BoardPost) -> BoardPost:
    session.add(post)
    session.commit()
    session.refresh(post)
    return post


def list_posts(session: Session) -> list[tuple[BoardPost, str]]:
    rows = session.exec(select(BoardPost, User.username).join(User, User.id == BoardPost.user_id)
                        .order_by(col(BoardPost.created_at).desc(), col(BoardPost.id).desc()))
    return list(rows)


def get_post(session: Session, post_id: int) -> BoardPost | None:
    return session.get(BoardPost, post_id)


def add_comment(session: Session, comment: BoardComment) -> BoardComment:
    session.add(comment)
    session.commit()
    session.refresh(comment)
    return comment


def comments_for(session: Session, post_ids: Iterable[int]) -> dict[int, list[tuple[BoardComment, str]]]:
    ids = list(post_ids)
    grouped: dict[int, list[tuple[BoardComment, str]]] = {post_id: [] for post_id in ids}
    if not ids:
        return grouped
    rows = session.exec(select(BoardComment, User.username).join(User, User.id == BoardComment.user_id)
                        .where(col(BoardComment.post_id).in_(ids)).order_by(col(BoardComment.id)))
    for comment, username in rows:
        grouped[comment.post_id].append((comment, username))
    return grouped


def usernames(session: Session, user_ids: Iterable[int]) -> dict[int, str]:
    ids = list(set(user_ids))
    if not ids:
        return {}
    return {user_id: name for user_id, name in session.exec(select(User.id, User.username).where(col(User.id).in_(ids))).all()}



# -- Lern-Sessions -----------------------------------------------------------------------
def add_learning_session(session: Session, item: LearningSession) -> LearningSession:
    session.add(item)
    session.commit()
    session.refresh(item)
    return item


def list_learning_sessions(session: Session) -> list[LearningSession]:
    return list(session.exec(select(LearningSession).order_by(col(LearningSession.created_at).desc(),
                                                              col(LearningSession.id).desc())))


def get_learning_session(session: Session, session_id: int) -> LearningSession | None:
    return session.get(LearningSession, session_id)


def add_entry(session: Session, entry: SessionEntry) -> SessionEntry:
    """A participant contributes an exchange once; contributing it again changes nothing."""
    existing = session.exec(select(SessionEntry).where(
        SessionEntry.session_id == entry.session_id, SessionEntry.exchange_id == entry.exchange_id)).first()
    if existing is not None:
        return existing
    session.add(entry)
    session.commit()
    session.refresh(entry)
    return entry


def entries_of(session: Session, session_id: int) -> list[tuple[SessionEntry, str]]:
    return list(session.exec(select(SessionEntry, User.username).join(User, User.id == SessionEntry.user_id)
                             .where(SessionEntry.session_id == session_id).order_by(col(SessionEntry.id))))


def recent_answered_exchanges(session: Session, user_id: int, limit: int = 10) -> list[Exchange]:
    return list(session.exec(select(Exchange).where(Exchange.user_id == user_id, Exchange.verdict == "sent",
                                                    Exchange.answer_pseudonymised != "")
                             .order_by(col(Exchange.id).desc()).limit(limit)))


def keep_best(session: Session, item: LearningSession, prompt: LibraryPrompt, lesson: str) -> LibraryPrompt:
    """Store the team's best prompt and close the session, in one transaction."""
    session.add(prompt)
    session.flush()
    item.kept_prompt_id, item.lesson, item.is_open = prompt.id, lesson, False
    session.add(item)
    session.commit()
    session.refresh(prompt)
    return prompt
