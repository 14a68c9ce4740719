"""The value types a model call returns: usage counts, a whole completion, a stream chunk.

Design choice: small frozen dataclasses instead of litellm's response objects, so the app
never depends on litellm's types and the results can be stored or serialised as they are.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Usage:
    """Token counts as the upstream reported them; 0 where it reported nothing."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0

    @classmethod
    def from_upstream(cls, usage: Any) -> "Usage":
        if usage is None:
            return cls()
        prompt = _as_count(_field(usage, "prompt_tokens"))
        completion = _as_count(_field(usage, "completion_tokens"))
        total = _as_count(_field(usage, "total_tokens")) or prompt + completion
        return cls(prompt, completion, total)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class Completion:
    text: str
    usage: Usage
    finish_reason: str | None


@dataclass(frozen=True)
class StreamChunk:
    """A piece of a streamed answer.

    Text chunks carry ``finish_reason=None`` and ``usage=None``; the stream always ends with one
    chunk whose ``finish_reason`` is set and whose ``usage`` is filled (zeros if unknown).
    """

    text: str
    finish_reason: str | None = None
    usage: Usage | None = None


def _field(obj: Any, name: str) -> Any:
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def _as_count(value: Any) -> int:
    return value if isinstance(value, int) and value >= 0 else 0
