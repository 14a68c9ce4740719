"""Terms that must be treated as personal data although no recognizer finds them.

Two sources share this path: words a person marks in the preview before sending (the
guard missed them, so the person's judgement wins), and an organisation's deny list
(internal case-number formats, project code names). A literal term is found like a value
already known in the conversation — in the normalised view, with spacing, case and umlaut
transliteration forgiven — so marking "Mareike" once also catches "MAREIKE" and "Ma\u200breike".
A regular-expression term is matched on the normalised view as given.

Findings carry the term's `source` as their recognizer name, so the data protection officer
can tell "marked by the person" from what the guard found itself, without any value stored.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from guardrails.findings import Finding
from guardrails.known_values import _pattern
from guardrails.normalize import NormalizedText, canonical

PERSON_MARK = "person_mark"
DENY_LIST = "deny_list"
_MAX_TERM_CHARS = 200


@dataclass(frozen=True)
class Term:
    text: str                 # the literal term, or a regular expression when `is_regex`
    entity_type: str
    is_regex: bool = False
    source: str = PERSON_MARK

    def compiled(self) -> re.Pattern[str] | None:
        """The pattern to search the normalised view with; None for an empty or unusable term."""
        text = self.text.strip()
        if not text or len(text) > _MAX_TERM_CHARS:
            return None
        if self.is_regex:
            try:
                return re.compile(text, re.IGNORECASE)
            except re.error:
                return None
        key = canonical(text)
        if not any(c.isalnum() for c in key):
            return None
        return re.compile(_pattern(key, self.entity_type), re.IGNORECASE)


def find_terms(view: NormalizedText, terms: Sequence[Term]) -> list[Finding]:
    found: list[Finding] = []
    for term, pattern in _compiled(terms):
        for match in pattern.finditer(view.text):
            if match.end() <= match.start():
                continue
            start, end = view.to_original(match.start(), match.end())
            found.append(Finding(term.entity_type, start, end, 1.0, term.source))
    return found


def _compiled(terms: Iterable[Term]) -> list[tuple[Term, re.Pattern[str]]]:
    out = []
    for term in terms:
        pattern = term.compiled()
        if pattern is not None:
            out.append((term, pattern))
    return out
