"""The rules of the shared library: who may write, what passes the guard, how a prompt is published.

A prompt written in Spielraum starts private (only its owner and curators see it). Its
owner may submit it; a curator (role `curator` or `admin`) publishes or rejects it. Every
text is checked by the guard before it is stored (see `text_check`). A curator's edit of a
shipped entry marks it `locally_edited`, so the next start does not overwrite it.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.errors import InvalidRequest, NotFound
from app.learning import library
from app.learning.text_check import require_no_personal_data
from app.storage import learning_store
from app.storage.tables import CURATOR_ROLES, LibraryPrompt, PromptOrigin, PromptStatus
from guardrails import Guard


def is_curator(user) -> bool:
    return user is not None and user.role in CURATOR_ROLES


@dataclass
class PromptDraft:
    """What the prompt form holds; kept as typed so a refused form loses nothing."""

    title: str = ""
    category: str = ""
    good_for: str = ""
    watch_out: str = ""
    text: str = ""

    @classmethod
    def from_form(cls, form) -> "PromptDraft":
        return cls(**{name: str(form.get(name, ""))[:library.LIMITS[name]].strip() for name in library.FIELDS})

    @classmethod
    def of(cls, prompt: LibraryPrompt) -> "PromptDraft":
        return cls(**{name: getattr(prompt, name) for name in library.FIELDS})

    def as_fields(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in library.FIELDS}


class PromptService:
    def __init__(self, guard: Guard) -> None:
        self._guard = guard

    async def check(self, draft: PromptDraft) -> None:
        """A title and a text, and no personal data anywhere in the draft."""
        if not draft.title or not draft.text:
            raise InvalidRequest("Bitte geben Sie einen Titel und den Text des Prompts ein.",
                                 "Please enter a title and the text of the prompt.")
        await require_no_personal_data(self._guard, *draft.as_fields().values())

    async def create(self, session: Session, user, draft: PromptDraft) -> LibraryPrompt:
        await self.check(draft)
        prompt = LibraryPrompt(**draft.as_fields(), owner_id=user.id, origin=PromptOrigin.USER.value,
                               status=PromptStatus.PRIVATE.value)
        return learning_store.save_prompt(session, prompt)

    async def update(self, session: Session, user, prompt: LibraryPrompt, draft: PromptDraft) -> LibraryPrompt:
        await self.check(draft)
        for name, value in draft.as_fields().items():
            setattr(prompt, name, value)
        if prompt.source_key is not None:
            prompt.locally_edited = True
        return learning_store.save_prompt(session, prompt)

    @staticmethod
    def editable(prompt: LibraryPrompt | None, user) -> LibraryPrompt:
        """Owners edit their unpublished prompts; curators edit any prompt."""
        if prompt is None:
            raise NotFound()
        if is_curator(user):
            return prompt
        if prompt.owner_id == user.id and prompt.status != PromptStatus.PUBLISHED.value:
            return prompt
        raise NotFound()

    @staticmethod
    def submit(session: Session, prompt: LibraryPrompt) -> None:
        if prompt.status in (PromptStatus.PRIVATE.value, PromptStatus.REJECTED.value):
            prompt.status = PromptStatus.SUBMITTED.value
            learning_store.save_prompt(session, prompt)

    @staticmethod
    def decide(session: Session, prompt: LibraryPrompt, *, publish: bool, note: str) -> None:
        prompt.status = PromptStatus.PUBLISHED.value if publish else PromptStatus.REJECTED.value
        prompt.curator_note = note
        learning_store.save_prompt(session, prompt)
