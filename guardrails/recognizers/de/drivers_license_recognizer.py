"""Führerscheinnummer (DE_DRIVERS_LICENSE): eleven letters and digits, field 5 of the card.

Layout: issuing authority (4), serial (5), check character, issue counter, e.g. `B072RRE2I55`.
The check character's algorithm is not published, so every match is shape evidence only and
needs a context word ("Führerschein", "Fahrerlaubnis", "driving licence"). The shape requires
at least two digits and one letter, which keeps ordinary upper-case words out.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from guardrails.recognizers.de._common import SHAPE, Candidate, CandidateRecognizer

_LICENSE = re.compile(r"(?<![\w-])(?=(?:[A-Z]*\d){2})(?=\d*[A-Z])[A-Z0-9]{11}(?![\w-])")


class DriversLicenseRecognizer(CandidateRecognizer):
    ENTITY = "DE_DRIVERS_LICENSE"
    LANGUAGES = ("de", "en")
    CONTEXT = ["führerschein", "fuehrerschein", "fahrerlaubnis", "licence", "license"]

    def candidates(self, text: str) -> Iterator[Candidate]:
        for m in _LICENSE.finditer(text):
            yield Candidate(m.start(), m.end(), SHAPE, "Führerscheinnummer shape")
