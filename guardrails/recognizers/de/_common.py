"""Shared building blocks for the identifier recognizers (German and generic).

Most identifiers are found in two steps: a precompiled regex proposes candidates, then a
well-kept validator (python-stdnum, schwifty, phonenumbers, ipaddress) decides. Presidio's
`PatternRecognizer` can express that only for one candidate per match; several of ours must
try shorter variants of a match (an IBAN followed by a word) or score by shape. So they
subclass `CandidateRecognizer`, which turns `(start, end, score)` candidates into proper
`RecognizerResult`s carrying the metadata Presidio's context enhancer and the guard rely on.

Scores follow one convention across all recognizers:
  VALIDATED  a checksum or registry check passed: reported on its own.
  SHAPE      the right shape but no check: below the guard's threshold (0.4) until one of the
             recognizer's `CONTEXT` words stands within Presidio's window before it (+0.35).

This module defines no recognizer class itself, so discovery ignores it.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

VALIDATED = 0.9
VALIDATED_STRONG = 1.0
SHAPE = 0.3

# Separators people type inside long numbers: spaces, a dash, a dot, a slash.
_SEPARATORS = re.compile(r"[\s./-]+")


def compact(value: str) -> str:
    """Remove the separators people type inside identifiers, upper-cased."""
    return _SEPARATORS.sub("", value).upper()


class Candidate(NamedTuple):
    start: int
    end: int
    score: float
    reason: str


class CandidateRecognizer(LocalRecognizer):
    """A recognizer that yields scored candidates; subclasses implement `candidates`.

    Subclasses set `ENTITY`, `CONTEXT` and `LANGUAGES`; the constructor has defaults for
    everything so discovery can call `cls(supported_language=lang)`.
    """

    ENTITY: str = ""
    CONTEXT: list[str] = []

    def __init__(self, supported_language: str = "de", name: str | None = None,
                 context: list[str] | None = None) -> None:
        super().__init__(
            supported_entities=[self.ENTITY],
            supported_language=supported_language,
            name=name or type(self).__name__,
            context=context if context is not None else list(self.CONTEXT),
        )

    def load(self) -> None:  # everything is precompiled at import time
        pass

    def candidates(self, text: str) -> Iterable[Candidate]:
        raise NotImplementedError

    def analyze(self, text: str, entities: list[str],
                nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        if entities and self.ENTITY not in entities:
            return []
        return [self._result(c) for c in self.candidates(text)]

    def _result(self, c: Candidate) -> RecognizerResult:
        explanation = AnalysisExplanation(
            recognizer=self.name, original_score=c.score, pattern_name=c.reason,
            validation_result=c.score >= VALIDATED)
        return RecognizerResult(
            entity_type=self.ENTITY, start=c.start, end=c.end, score=c.score,
            analysis_explanation=explanation,
            recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                  RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})


ICAO_ALPHABET = "0123456789CFGHJKLMNPRTVWXYZ"


def icao_check_digit(body: str) -> int:
    """ICAO Doc 9303 check digit: weights 7, 3, 1; letters count A=10 … Z=35."""
    def value(c: str) -> int:
        return int(c) if c.isdigit() else ord(c) - ord("A") + 10
    return sum(value(c) * (7, 3, 1)[i % 3] for i, c in enumerate(body)) % 10


class IcaoDocumentRecognizer(CandidateRecognizer):
    """Document numbers from the ICAO alphabet (no A, B, D, E, I, O, Q, S, U).

    The card or passport shows nine characters; the machine-readable zone adds a check digit.
    With the tenth digit present and correct the number is validated; nine characters alone
    are only a shape, so a context word (set by the subclass) must lift them.
    """

    FIRST_LETTERS = ""

    def __init__(self, supported_language: str = "de", name: str | None = None,
                 context: list[str] | None = None) -> None:
        super().__init__(supported_language, name, context)
        self._pattern = re.compile(
            rf"(?<![\w-])[{self.FIRST_LETTERS}][{ICAO_ALPHABET}]{{8}}(\d?)(?![\w-])")

    def candidates(self, text: str) -> Iterator[Candidate]:
        for m in self._pattern.finditer(text):
            value = m.group(0)
            if m.group(1) and icao_check_digit(value[:9]) == int(value[9]):
                yield Candidate(m.start(), m.end(), VALIDATED, "ICAO check digit")
            else:
                yield Candidate(m.start(), m.end(), SHAPE, "document number shape")
