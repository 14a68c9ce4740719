from __future__ import annotations

import pytest

from guardrails.recognizers.generic.ip_address_recognizer import IpAddressRecognizer
from tests.guardrails.recognizers.identifier_support import NON_PII, found


@pytest.mark.parametrize("text, expected", [
    ("Der Zugriff erfolgte von der IP-Adresse 124.65.137.177 um 14:32 Uhr.", ["124.65.137.177"]),
    ("Intern 192.168.10.23 und 10.0.4.17", ["192.168.10.23", "10.0.4.17"]),
    ("Netz 10.20.0.0/16 gesperrt", ["10.20.0.0/16"]),
    ("IPv6 2001:db8::8a2e:370:7334 im Log", ["2001:db8::8a2e:370:7334"]),
    ("Adresse 2001:0db8:85a3:0000:0000:8a2e:0370:7334.", ["2001:0db8:85a3:0000:0000:8a2e:0370:7334"]),
    # version strings, octets above 255, amounts, times, dates
    ("Version 1.2.3 und v2.10.3.1", []),
    ("Wert 999.12.1.1", []),
    ("Siehe Anhang Bef:: und ab::", []),
    ("siehe Abschnitt III, 4.4.2.2 RdNr 61", []),
    ("Kosten 1.250.100.200 €", []),
    ("um 14:32:10 Uhr am 12.03.2025", []),
])
def test_ip_addresses(text, expected):
    assert found(IpAddressRecognizer, text) == expected


@pytest.mark.parametrize("text", NON_PII)
def test_no_personal_data(text):
    assert found(IpAddressRecognizer, text) == []
