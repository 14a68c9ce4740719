from __future__ import annotations

import pytest

from guardrails.recognizers.de.license_plate_recognizer import LicensePlateRecognizer, district_codes
from tests.guardrails.recognizers.identifier_support import NON_PII, found


@pytest.mark.parametrize("text, expected", [
    ("Er ist mit dem Dienstwagen DO-KV 4821 nach Münster gefahren.", ["DO-KV 4821"]),
    ("Sein Fahrzeug M-ED 1987 ist abgemeldet.", ["M-ED 1987"]),
    ("Oldtimer HH-AB 1234H und Elektroauto MIL-E 1234E", ["HH-AB 1234H", "MIL-E 1234E"]),
    ("gesehen: B-AB-12 vor dem Haus", ["B-AB-12"]),
    # the all-space form needs a context word
    ("Kennzeichen B AB 123", ["B AB 123"]),
    ("Im Gebäude A EG 12 sitzt das Amt.", []),
    # unknown district, leading zero, too many characters, a standard
    ("Kennzeichen XQ-AB 12", []),
    ("Kennzeichen M-ED 0123", []),
    ("Kennzeichen ABG-XY 1234", []),
    ("Fahrzeugteile nach DIN EN 1090", []),
])
def test_license_plates(text, expected):
    assert found(LicensePlateRecognizer, text) == expected


def test_district_list_holds_the_big_cities_and_no_comment_text():
    codes = district_codes()
    assert {"B", "HH", "M", "K", "F", "DO", "MIL"} <= codes
    assert all(code.isupper() and 1 <= len(code) <= 3 for code in codes)


@pytest.mark.parametrize("text", NON_PII)
def test_no_personal_data(text):
    assert found(LicensePlateRecognizer, text) == []


def test_guard_pseudonymises_the_plate(guard):
    text = "Sein Fahrzeug M-ED 1987 ist abgemeldet."
    findings = guard.analyze(text, "de")
    assert [(text[f.start:f.end], f.entity_type) for f in findings] == [("M-ED 1987", "DE_LICENSE_PLATE")]
