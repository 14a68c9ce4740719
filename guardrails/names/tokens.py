"""Word tokens with offsets and the few facts the name rules ask about them.

A token is a run of letters, optionally joined by hyphens or apostrophes, so "Pfeiffer-Rasch",
"Al-Sayed", "Hans-Georg" and "O'Brien" are one token each. Digits and punctuation are never
part of a token; what lies between two tokens (the gap) tells whether they are adjacent on one
line, separated by a comma, or split by a sentence boundary.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
# Abbreviations whose dot does not end a sentence ("Dr. Meier", "Hr. Lohmann").
_ABBREVIATIONS = frozenset("dr prof hr fr fam nr str dipl ing med mag gez bzw ca vgl z b hd i a v".split())


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    index: int
    gap_before: str        # the characters between the previous token and this one
    sentence_initial: bool

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_capitalised(self) -> bool:
        return self.text[0].isupper()

    @property
    def is_lower(self) -> bool:
        return self.text.islower()

    def followed_by_dot(self, text: str) -> bool:
        return text[self.end:self.end + 1] == "."


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    previous_end = 0
    for index, match in enumerate(_WORD.finditer(text)):
        gap = text[previous_end:match.start()]
        tokens.append(Token(match.group(), match.start(), match.end(), index, gap,
                            _starts_sentence(gap, tokens[-1] if tokens else None)))
        previous_end = match.end()
    return tokens


def _starts_sentence(gap: str, previous: Token | None) -> bool:
    if previous is None:
        return True
    if "\n" in gap or any(mark in gap for mark in "!?:;"):
        return True
    if "." in gap:
        return previous.lower not in _ABBREVIATIONS and len(previous.text) > 1
    return False


def adjacent(left: Token, right: Token) -> bool:
    """Two tokens separated only by spaces on one line, as parts of one name are."""
    return right.index == left.index + 1 and right.gap_before != "" and right.gap_before.strip(" \t\u00a0") == ""
