from __future__ import annotations

import pytest

from guardrails.recognizers.de.vat_id_recognizer import VatIdRecognizer
from tests.guardrails.recognizers.identifier_support import NON_PII, found, scores


@pytest.mark.parametrize("text, expected", [
    ("USt-IdNr. DE136695976.", ["DE136695976"]),
    ("VAT ID DE 136 695 976", ["DE 136 695 976"]),
    ("Firma Muster (DE136695976)", ["DE136695976"]),
    # the check digit is not normative: a compact number is still reported, grouped ones need context
    ("USt-IdNr. DE057868523. Inhaber", ["DE057868523"]),
    ("USt-IdNr.: DE 057 868 523", ["DE 057 868 523"]),
    ("Vorgang DE 057 868 523", []),
    ("Lieferant DE 057868523", ["DE 057868523"]),
    # wrong length, an IBAN, mixed separators
    ("USt-IdNr. DE13669597", []),
    ("IBAN DE85230172036881690999", []),
    ("USt-IdNr. DE 136-695 976", []),
])
def test_vat_ids(text, expected):
    assert found(VatIdRecognizer, text) == expected


def test_a_valid_check_digit_scores_higher_than_the_shape():
    assert scores(VatIdRecognizer, "Nummer DE057868523") < scores(VatIdRecognizer, "Nummer DE136695976")


@pytest.mark.parametrize("text", NON_PII)
def test_no_personal_data(text):
    assert found(VatIdRecognizer, text) == []
