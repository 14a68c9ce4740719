from __future__ import annotations

import pytest

from guardrails.recognizers.de.drivers_license_recognizer import DriversLicenseRecognizer
from tests.guardrails.recognizers.identifier_support import NON_PII, found


@pytest.mark.parametrize("text, expected", [
    ("Führerscheinnummer B072RRE2I55", ["B072RRE2I55"]),
    ("Fahrerlaubnis Nr. J010000SD51 erteilt", ["J010000SD51"]),
    ("driving licence no. B072RRE2I55", ["B072RRE2I55"]),
    # shape without context, too few digits, only digits, wrong length
    ("Bestellnummer B072RRE2I55", []),
    ("Führerschein BUNDESLAND1", []),
    ("Führerschein 12345678901", []),
    ("Führerschein B072RRE2I5", []),
])
def test_drivers_license_numbers(text, expected):
    assert found(DriversLicenseRecognizer, text) == expected


@pytest.mark.parametrize("text", NON_PII)
def test_no_personal_data(text):
    assert found(DriversLicenseRecognizer, text) == []
