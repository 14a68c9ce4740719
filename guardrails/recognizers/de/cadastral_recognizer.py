"""DE_CADASTRAL: land-register references ("Gemarkung Musterdorf, Flur 3, Flurstück 123/4").

A parcel reference identifies one plot and, through the land register, its owner, so it is
personal data in planning and building files. The whole reference chain is one span,
keywords included: "Flur 3" or "Musterdorf" alone are harmless, and a chain split into
pieces would leave the model a half-redacted but still matching reference.

"Flur" alone is also a hallway ("Flur 3"), and "Gemarkung" alone names a district, so they
count only together with a parcel number ("Flurstück", "Flst.", "Flurst.") or with each other.
Land-register folios ("Grundbuch von Musterdorf, Blatt 1234") are reported the same way.
"""
from __future__ import annotations

import re

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

_U = "A-ZÄÖÜ"
_PARCEL = r"\d{1,5}(?:\s?/\s?\d{1,4})?(?![\d/])"
_PARCELS = rf"{_PARCEL}(?:\s?(?:,|und|u\.|sowie)\s?{_PARCEL})*"
_PARCEL_WORD = (r"(?:Flurstücksnummer|Flurstücksnr\.?|Flurstücke?|Flurstücks|Flurst\.|Flst\.?|Fl\.-?St\.)"
                r":?\s?(?:Nrn?\.?:?\s?)?")
_DISTRICT_NAME = rf"[{_U}][\w.-]+(?:\s(?:[{_U}][\w.-]+|an\sder|am|im|bei|ob\sder)){{0,3}}?"
# Nothing follows a trailing district to stop a lazy match, so this one is greedy and short.
_TRAILING_DISTRICT = rf"[{_U}][\w.-]+(?:\s(?:[{_U}][\w.-]+|(?:an\sder|am|im|ob\sder)\s[{_U}][\w.-]+))?"
_FLUR = r"(?:Flur|Fl\.):?\s?(?:Nr\.\s?)?\d{1,4}(?![\d/])"
_SEP = r"(?:,\s?|\s)"

# "Gemarkung X[, Flur N][, Flurstück M]" - at least one of Flur/Flurstück must follow.
_DISTRICT_CHAIN = re.compile(
    rf"\b(?:Gemarkung|Gmkg\.|Gemkg\.):?\s{_DISTRICT_NAME}{_SEP}"
    rf"(?:{_FLUR}(?:{_SEP}{_PARCEL_WORD}{_PARCELS})?|{_PARCEL_WORD}{_PARCELS})")
# "Flur 3, Flurstück 123/4" or "Flurstück 123/4" or "Flst. 45/2"
_PARCEL_REF = re.compile(
    rf"(?:\bFlur:?\s?(?:Nr\.\s?)?\d{{1,4}}{_SEP})?\b{_PARCEL_WORD}{_PARCELS}"
    # "Flurstück 456/7 der Gemarkung Oberdorf": the district after the parcel belongs to it.
    rf"(?:,?\s(?:der|in\sder)\s(?:Gemarkung|Gmkg\.)\s{_TRAILING_DISTRICT})?")
_LAND_REGISTER = re.compile(
    rf"\bGrundbuch\s(?:von|für)\s{_DISTRICT_NAME},?\s(?:Blatt|Bl\.)\s?\d{{1,6}}(?!\d)"
    rf"|\bGrundbuchblatt\s(?:Nr\.\s?)?\d{{1,6}}(?!\d)")

_KEYWORD_STEMS = ("Flur", "Flst", "Fl.", "Gemarkung", "Gmkg", "Gemkg", "Grundbuch")

CHAIN_SCORE = 0.9
PARCEL_SCORE = 0.85


class CadastralRecognizer(EntityRecognizer):
    LANGUAGES = ("de",)
    ENTITIES = ["DE_CADASTRAL"]

    def __init__(self, supported_language: str = "de") -> None:
        super().__init__(supported_entities=self.ENTITIES, name="CadastralRecognizer",
                         supported_language=supported_language)

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        spans: list[tuple[int, int, float]] = []
        if not any(stem in text for stem in _KEYWORD_STEMS):
            return []  # most prompts mention no parcel at all; skip the regex scans
        for pattern, score in ((_DISTRICT_CHAIN, CHAIN_SCORE), (_LAND_REGISTER, CHAIN_SCORE),
                               (_PARCEL_REF, PARCEL_SCORE)):
            spans += [(m.start(), m.end(), score) for m in pattern.finditer(text)]
        kept = [s for s in spans
                if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)]
        return [RecognizerResult(
            "DE_CADASTRAL", start, end, score, analysis_explanation=AnalysisExplanation(self.name, score),
            recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                  RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})
            for start, end, score in sorted(set(kept))]
