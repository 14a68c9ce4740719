from __future__ import annotations

import pytest

from guardrails.recognizers.generic.credit_card_recognizer import CreditCardRecognizer
from tests.guardrails.recognizers.identifier_support import NON_PII, found


@pytest.mark.parametrize("text, expected", [
    ("Kunde: Wagner; Kreditkarte 4733 4164 3025 3389; Rechnung", ["4733 4164 3025 3389"]),
    ("Karte 4733-4164-3025-3389", ["4733-4164-3025-3389"]),
    ("Visa 4111111111111111, danke", ["4111111111111111"]),
    ("Betrag 4111111111111111,00 EUR", []),
    ("Mastercard 5555 5555 5555 4444", ["5555 5555 5555 4444"]),
    ("Amex 3782 822463 10005", ["3782 822463 10005"]),
    # Luhn fails, unknown issuer prefix, mixed separators, part of a longer number
    ("Kreditkarte 4733 4164 3025 3388", []),
    ("Nummer 1234 5678 9012 3452", []),  # Luhn-valid, but no issuer starts with 1
    ("Karte 4733 4164-3025 3389", []),
    ("Vorgang 4733 4164 3025 3389 7", []),
    ("IBAN DE07 1644 4004 5923 0875 72", []),
])
def test_credit_cards(text, expected):
    assert found(CreditCardRecognizer, text) == expected


@pytest.mark.parametrize("text", NON_PII)
def test_no_personal_data(text):
    assert found(CreditCardRecognizer, text) == []
