from __future__ import annotations

import pytest

from guardrails.recognizers.de.passport_recognizer import PassportRecognizer
from tests.guardrails.recognizers.identifier_support import NON_PII, found


@pytest.mark.parametrize("text, expected", [
    ("Erinnerung, dass sein Reisepass (CYLY5XHCN) im Juni abläuft.", ["CYLY5XHCN"]),
    ("Passnummer: F12345678", ["F12345678"]),
    ("passport number CYLY5XHCN", ["CYLY5XHCN"]),
    # with the machine-readable check digit no context is needed
    ("Dokument C01X00T478 liegt vor", ["C01X00T478"]),
    # shape without context, wrong check digit, an ID card number, forbidden letters
    ("Artikel CYLY5XHCN bestellt", []),
    ("Dokument C01X00T479 liegt vor", []),
    ("Reisepass LHT951G9W", []),
    ("Reisepass CYAY5XHCN", []),
])
def test_passport_numbers(text, expected):
    assert found(PassportRecognizer, text) == expected


@pytest.mark.parametrize("text", NON_PII)
def test_no_personal_data(text):
    assert found(PassportRecognizer, text) == []
