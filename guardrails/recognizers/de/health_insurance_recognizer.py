"""Krankenversichertennummer (KVNR): a letter and nine digits, the last a check digit.

The number is printed on the elektronische Gesundheitskarte. Presidio's
DeHealthInsuranceRecognizer implements the check digit of § 290 SGB V Anlage 1 correctly;
this class reuses it. Because order and customer numbers often have the same shape, only
numbers whose check digit holds are reported, and a context word raises them to the maximum.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from presidio_analyzer.predefined_recognizers.country_specific.germany.de_health_insurance_recognizer import (  # noqa: E501
    DeHealthInsuranceRecognizer,
)

from guardrails.recognizers.de._common import VALIDATED, Candidate, CandidateRecognizer

_KVNR = re.compile(r"(?<![\w-])[A-Z]\d{9}(?![\w-])")
_CHECK = DeHealthInsuranceRecognizer(supported_language="de")


class HealthInsuranceRecognizer(CandidateRecognizer):
    ENTITY = "DE_HEALTH_INSURANCE"
    LANGUAGES = ("de", "en")
    CONTEXT = ["krankenversichert", "versichertennummer", "krankenversicherung", "kvnr",
               "krankenkasse", "gesundheitskarte", "egk", "versichert", "health insurance"]

    def candidates(self, text: str) -> Iterator[Candidate]:
        for m in _KVNR.finditer(text):
            if _CHECK.validate_result(m.group(0)):
                yield Candidate(m.start(), m.end(), VALIDATED, "KVNR (check digit)")
