from __future__ import annotations

import pytest

from guardrails.recognizers.de.tax_id_recognizer import TaxIdRecognizer
from tests.guardrails.recognizers.identifier_support import NON_PII, found, scores


@pytest.mark.parametrize("text, expected", [
    ("Meine Steuer-ID lautet 264 859 107 23.", ["264 859 107 23"]),
    ("IdNr 26485910723", ["26485910723"]),
    ("Steueridentifikationsnummer 26 485 910 723", ["26 485 910 723"]),
    ("Die Nummer 49729806357 steht im Bescheid.", ["49729806357"]),
    ("IdNr. 697 256 341 681", []),  # twelve digits
    # check digit right, but no digit repeats: a Steuer-ID only where the context says so
    ("Die Steuer-ID 12 345 678 903 wurde nicht benötigt.", ["12 345 678 903"]),
    ("Die Bestellung 12 345 678 903 wurde nicht benötigt.", []),
    # wrong check digit, leading zero, a phone number, a credit card
    ("Meine Steuer-ID lautet 264 859 107 24.", []),
    ("Steuer-ID 06485910723", []),
    ("Tel. +49 264 859 107 23", []),
    ("Karte 4733 4164 3025 3389", []),
])
def test_tax_ids(text, expected):
    assert found(TaxIdRecognizer, text) == expected


def test_context_raises_a_validated_number_to_the_maximum():
    assert scores(TaxIdRecognizer, "Nummer 26485910723") < scores(TaxIdRecognizer, "Steuer-ID 26485910723")


@pytest.mark.parametrize("text", NON_PII)
def test_no_personal_data(text):
    assert found(TaxIdRecognizer, text) == []
