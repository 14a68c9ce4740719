"""Terms that are never redacted: the authority's own name, public officials, street names
of the town hall.

The rule, chosen for protection first:

* An allow term is found like a deny term (`term_lists`): a literal in the normalised view
  with case, spacing and umlaut transliteration forgiven, at word boundaries; a regular
  expression on the normalised view as given.
* A finding that lies wholly INSIDE an allow-term match is dropped: with "Landratsamt
  Müller-Stadt" allowed, the "Müller" a recognizer sees in it stays, and is not learnt as a
  known value either, so a "Herr Müller" elsewhere is judged on its own.
* A finding that only PARTLY overlaps an allow match is kept whole: "Landratsamt
  Müller-Stadt, Herr Jens Müller" must still hide the person, even if a recognizer's span
  reaches into the allowed name. The allow list never un-redacts anything beyond its match.
* Findings from the deny list and from the person's own marks are never dropped: an explicit
  "this is confidential" wins over a general "this is public".
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from guardrails.findings import Finding
from guardrails.normalize import NormalizedText
from guardrails.term_lists import DENY_LIST, PERSON_MARK, Term

# The sources whose findings an allow term cannot overrule.
EXPLICIT_SOURCES = frozenset({DENY_LIST, PERSON_MARK})
# Literal allow terms use the forgiving pattern of words (spacing, umlauts), not of identifiers.
_WORDY = "ORGANIZATION"


@dataclass(frozen=True)
class AllowTerm:
    text: str
    is_regex: bool = False

    def compiled(self) -> re.Pattern[str] | None:
        return Term(self.text, _WORDY, is_regex=self.is_regex).compiled()


def allowed_spans(view: NormalizedText, terms: Sequence[AllowTerm]) -> list[tuple[int, int]]:
    """The original-text ranges the allow terms match in this text."""
    spans = []
    for term in terms:
        pattern = term.compiled()
        if pattern is None:
            continue
        for match in pattern.finditer(view.text):
            if match.end() > match.start():
                spans.append(view.to_original(match.start(), match.end()))
    return spans


def drop_allowed(findings: Iterable[Finding], spans: Sequence[tuple[int, int]]) -> list[Finding]:
    if not spans:
        return list(findings)
    return [f for f in findings
            if f.recognizer in EXPLICIT_SOURCES or not any(a <= f.start and f.end <= b for a, b in spans)]
