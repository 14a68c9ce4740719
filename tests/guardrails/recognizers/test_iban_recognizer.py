from __future__ import annotations

import pytest

from guardrails.recognizers.generic.iban_recognizer import IbanRecognizer
from tests.guardrails.recognizers.identifier_support import NON_PII, found


@pytest.mark.parametrize("text, expected", [
    ("Tobias Wendt, IBAN DE85230172036881690999. Vielen Dank", ["DE85230172036881690999"]),
    ("IBAN: DE07 1644 4004 5923 0875 72\nBitte prüfen", ["DE07 1644 4004 5923 0875 72"]),
    ("IBAN DE07 1644 4004 5923 0875 72 BIC GENODEF1XXX", ["DE07 1644 4004 5923 0875 72"]),
    ("Konto de85230172036881690999", ["de85230172036881690999"]),
    ("UK account GB82 WEST 1234 5698 7654 32", ["GB82 WEST 1234 5698 7654 32"]),
    # wrong checksum, one digit short, a VAT ID
    ("IBAN DE07 1644 4004 5923 0875 73", []),
    ("IBAN DE85 2301 7203 6881 6909 9", []),
    ("USt-IdNr. DE136695976", []),
])
def test_ibans(text, expected):
    assert found(IbanRecognizer, text) == expected


@pytest.mark.parametrize("text", NON_PII)
def test_no_personal_data(text):
    assert found(IbanRecognizer, text) == []


IDENTIFIER_TYPES = {"PHONE_NUMBER", "EMAIL_ADDRESS", "IBAN_CODE", "CREDIT_CARD", "IP_ADDRESS",
                    "DE_TAX_ID", "DE_TAX_NUMBER", "DE_VAT_ID", "DE_SOCIAL_SECURITY", "DE_ID_CARD",
                    "DE_PASSPORT", "DE_HEALTH_INSURANCE", "DE_DRIVERS_LICENSE", "DE_LICENSE_PLATE"}


def test_guard_finds_bank_and_card_data(guard):
    text = "IBAN: DE07 1644 4004 5923 0875 72, Kreditkarte 4733 4164 3025 3389."
    found_types = {(text[f.start:f.end], f.entity_type) for f in guard.analyze(text, "de")}
    assert found_types == {("DE07 1644 4004 5923 0875 72", "IBAN_CODE"),
                           ("4733 4164 3025 3389", "CREDIT_CARD")}


@pytest.mark.parametrize("text", NON_PII)
def test_guard_reports_no_identifier_in_ordinary_numbers(guard, text):
    assert [f for f in guard.analyze(text, "de") if f.entity_type in IDENTIFIER_TYPES] == []
