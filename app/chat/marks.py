"""Words the person marks as personal data in the preview, before anything is sent.

The guard can miss a value (a rare first name alone, an internal code name). The person sees
the pseudonymised text first and may mark more; each mark becomes a guard term, so it gets
a placeholder in every message of the request like any finding, and is recorded as finding
metadata with the recognizer `person_mark` (type and count, never the word), which the data
protection officer reads as "what the guard missed".
"""
from __future__ import annotations

from pydantic import BaseModel, Field

from guardrails import PERSON_MARK, Term

# The kinds a person can choose, in the order the preview offers them.
MARK_TYPES: tuple[str, ...] = ("PERSON", "ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS", "FILE_NUMBER", "CONFIDENTIAL")
MAX_MARKS = 20


class Mark(BaseModel):
    text: str = Field(min_length=1, max_length=200)
    entity_type: str = Field(pattern="^(" + "|".join(MARK_TYPES) + ")$")


def as_terms(marks: list[Mark]) -> list[Term]:
    return [Term(mark.text, mark.entity_type, source=PERSON_MARK) for mark in marks if mark.text.strip()]
