"""Rentenversicherungsnummer (Sozialversicherungsnummer), e.g. `53 180576 A 779`.

Twelve characters: area (2 digits), birth date DDMMYY, initial of the birth name, serial
(2 digits), check digit. python-stdnum has no module for it, and Presidio's
DeSocialSecurityRecognizer implements the published VKVV § 4 check digit correctly, so this
class reuses its `validate_result` and adds what it lacks: the spaced form printed on the
Sozialversicherungsausweis (`53 180576 A 779`, also `53 180576 A779`). Only numbers whose
check digit and birth date are valid are reported on their own; a number of the right shape
whose check digit fails (a typo, a made-up example) is only a weak candidate that the
context words ("Rentenversicherungsnummer", "SV-Nr.") must lift over the threshold.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from presidio_analyzer.predefined_recognizers.country_specific.germany.de_social_security_recognizer import (  # noqa: E501
    DeSocialSecurityRecognizer,
)

from guardrails.recognizers.de._common import (
    SHAPE, VALIDATED_STRONG, Candidate, CandidateRecognizer, compact)

_RVNR = re.compile(r"(?<![\w-])\d{2} ?\d{6} ?[A-Z] ?\d{2} ?\d(?![\w]|[ .-]?\d)")
_CHECK = DeSocialSecurityRecognizer(supported_language="de")


class SocialSecurityRecognizer(CandidateRecognizer):
    ENTITY = "DE_SOCIAL_SECURITY"
    LANGUAGES = ("de", "en")
    CONTEXT = ["sozialversicherungsnummer", "rentenversicherungsnummer", "versicherungsnummer",
               "sv-nummer", "sv-nr", "rvnr", "svnr", "rentenversicherung", "sozialversicherung"]

    def candidates(self, text: str) -> Iterator[Candidate]:
        for m in _RVNR.finditer(text):
            if _CHECK.validate_result(compact(m.group(0))):
                yield Candidate(m.start(), m.end(), VALIDATED_STRONG, "RVNR (check digit)")
            elif _plausible_birth_month(compact(m.group(0))):
                yield Candidate(m.start(), m.end(), SHAPE, "RVNR shape (check digit fails)")


def _plausible_birth_month(number: str) -> bool:
    return 1 <= int(number[4:6]) <= 12
