"""Reisepass number (DE_PASSPORT): C F G H J or K, eight ICAO characters, optional check digit.

German passport serials start with one of those letters (the ID card's with others, see
`id_card_recognizer`). The shape alone needs a context word such as "Reisepass", "Pass" or
"Passnummer"; see `IcaoDocumentRecognizer` for the scoring.
"""
from __future__ import annotations

from guardrails.recognizers.de._common import IcaoDocumentRecognizer


class PassportRecognizer(IcaoDocumentRecognizer):
    ENTITY = "DE_PASSPORT"
    LANGUAGES = ("de", "en")
    FIRST_LETTERS = "CFGHJK"
    CONTEXT = ["pass", "reisedokument", "dokumentennummer"]
