"""What the guard found in a text: positions and metadata, never the value itself.

A `Finding` deliberately carries no copy of the matched text, so it can be logged, stored
and shown to a data protection officer without leaking the personal data it points at.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Finding:
    entity_type: str
    start: int
    end: int
    score: float
    recognizer: str

    def to_dict(self) -> dict:
        return asdict(self)
