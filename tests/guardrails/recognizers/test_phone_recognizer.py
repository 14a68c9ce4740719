from __future__ import annotations

import pytest

from guardrails.recognizers.generic.phone_recognizer import PhoneRecognizer
from tests.guardrails.recognizers.identifier_support import NON_PII, found


@pytest.mark.parametrize("text, expected", [
    # every German writing style
    ("Rückruf erbeten unter +49 171 2349876.", ["+49 171 2349876"]),
    ("Kontakt: +49 (0)5121 309-1412", ["+49 (0)5121 309-1412"]),
    ("Mobil 0049 171 2349876", ["0049 171 2349876"]),
    ("Tel. 030/1234567", ["030/1234567"]),
    ("Telefon: 0511 / 3344556", ["0511 / 3344556"]),
    ("Sie erreichen mich unter 0341 5567821 oder per Mail.", ["0341 5567821"]),
    ("ihre Tochter ist bevollmächtigt (06221 47 11 08).", ["06221 47 11 08"]),
    ("Die Bürgerin (Tel. 0176-98765432) fragt", ["0176-98765432"]),
    ("Ansprechpartnerin ist Frau Koch, Durchwahl 0221 221-34567.", ["0221 221-34567"]),
    ("Zentrale (0511) 33 44 55 6", ["(0511) 33 44 55 6"]),
    ("Telefon 07351/1447-0.", ["07351/1447-0"]),
    # an area code that does not exist: only with a context word
    ("Telefon: 05397 431083", ["05397 431083"]),
    ("Sie erreichen mich unter 05397 431083.", ["05397 431083"]),
    ("Die Kennung 05397 431083 ist vergeben.", []),
    # international numbers
    ("London office: +44 20 7946 0958", ["+44 20 7946 0958"]),
    ("US-Büro +1 415-555-2671", ["+1 415-555-2671"]),
    # not phone numbers: extensions alone, file numbers, dates, IBAN groups, a spaced tax ID
    ("Bitte App. 1234 anrufen oder Durchwahl -12 wählen.", []),
    ("Az. 0815/2025 und Geschäftszeichen 0815 2025", []),
    ("Am 03.02.2025 um 09:30 Uhr", []),
    ("Beschluss vom 06. 08. 2015 und ( 02. 10. 2001 )", []),
    ("ISBN 0306459272 und ISBN 0-7136-8028-8", []),
    ("Patent EP 0 697 062 B1; BSG-Urteil 12. 09. 1990 - 5 RJ 88/98", []),
    ("zugelassen unter der Nummer EU / 1 / 07 / 436 / 005", []),
    ("IBAN DE89 3704 0044 0532 0130 00", []),
    ("Steuer-ID 264 859 107 23", []),
    ("Kartennummer 4733 4164 3025 3389", []),
    ("Server 124.65.137.177", []),
])
def test_german_phone_numbers(text, expected):
    assert found(PhoneRecognizer, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Call me at (415) 555-2671 tomorrow.", ["(415) 555-2671"]),
    ("Our London number is 020 7946 0958.", ["020 7946 0958"]),
    ("Invoice 2025-114 dated 12.03.2025", []),
])
def test_english_phone_numbers(text, expected):
    assert found(PhoneRecognizer, text, "en") == expected


@pytest.mark.parametrize("text", NON_PII)
def test_no_personal_data(text):
    assert found(PhoneRecognizer, text) == []


def test_guard_pseudonymises_phone_and_email(guard):
    from guardrails import Vault

    text = "Sie erreichen mich unter 0341 5567821 oder k.behrendt@web.de."
    result = guard.scan_prompt(text, Vault(), "de")
    assert "5567821" not in result.text and "behrendt" not in result.text
    assert {f.entity_type for f in result.findings} >= {"PHONE_NUMBER", "EMAIL_ADDRESS"}
