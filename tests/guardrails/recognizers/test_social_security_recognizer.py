from __future__ import annotations

import pytest

from guardrails.recognizers.de.social_security_recognizer import SocialSecurityRecognizer
from tests.guardrails.recognizers.identifier_support import NON_PII, found


@pytest.mark.parametrize("text, expected", [
    ("Die Sozialversicherungsnummer ist 53 180576 A 779, seine", ["53 180576 A 779"]),
    ("RVNR 53180576A779", ["53180576A779"]),
    ("Versicherungsnummer 53 180576 A779", ["53 180576 A779"]),
    ("15070649C103 laut DRV", ["15070649C103"]),
    # wrong check digit, impossible month, lower-case letter, too long
    # a failing check digit (typo) still counts where the text says what the number is
    ("Die Sozialversicherungsnummer ist 53 180576 A 778", ["53 180576 A 778"]),
    ("Die Nummer ist 53 180576 A 778", []),
    ("Bestellnummer 53 180576 A 778", []),
    ("Versicherungsnummer 53181376A779", []),
    ("Versicherungsnummer 53180576a779", []),
    ("Versicherungsnummer 53180576A7791", []),
])
def test_social_security_numbers(text, expected):
    assert found(SocialSecurityRecognizer, text) == expected


@pytest.mark.parametrize("text", NON_PII)
def test_no_personal_data(text):
    assert found(SocialSecurityRecognizer, text) == []
