from __future__ import annotations

import pytest

from guardrails.recognizers.de.id_card_recognizer import IdCardRecognizer
from tests.guardrails.recognizers.identifier_support import NON_PII, found


@pytest.mark.parametrize("text, expected", [
    # ten characters with a valid check digit stand on their own
    ("Die alte Ausweisnummer war LHT951G9W7.", ["LHT951G9W7"]),
    ("Nummer LHT951G9W7 notiert", ["LHT951G9W7"]),
    # nine characters (as printed on the card) need a context word
    ("Personalausweis T22000129", ["T22000129"]),
    ("PA-Nr. L01X00T47", ["L01X00T47"]),
    ("Artikel L01X00T47 bestellt", []),
    # wrong check digit without context, letters outside the ICAO alphabet, a passport number
    ("Nummer LHT951G9W8 notiert", []),
    ("Ausweisnummer LHA951G9W7", []),
    ("Ausweis CYLY5XHCN", []),
])
def test_id_card_numbers(text, expected):
    assert found(IdCardRecognizer, text) == expected


@pytest.mark.parametrize("text", NON_PII)
def test_no_personal_data(text):
    assert found(IdCardRecognizer, text) == []


def test_guard_pseudonymises_the_id_card_number(guard):
    text = "Die alte Ausweisnummer war LHT951G9W7."
    findings = guard.analyze(text, "de")
    assert [(text[f.start:f.end], f.entity_type) for f in findings] == [("LHT951G9W7", "DE_ID_CARD")]
