from __future__ import annotations

import pytest

from guardrails.recognizers.de.tax_number_recognizer import TaxNumberRecognizer
from tests.guardrails.recognizers.identifier_support import NON_PII, found


@pytest.mark.parametrize("text, expected", [
    # the written forms of the Länder, each with a context word
    ("Steuernummer des Betriebs: 81/925/34420, USt-IdNr.", ["81/925/34420"]),
    ("St.-Nr. 181/815/08155", ["181/815/08155"]),
    ("StNr. 2181/508/15", ["2181/508/15"]),
    ("Steuernummer (NRW) 133/8150/8159", ["133/8150/8159"]),
    ("Steuernummer 93815/08152 beim Finanzamt Stuttgart", ["93815/08152"]),
    ("Unsere Steuernummer in Hessen: 013 815 08153", ["013 815 08153"]),
    ("Steuernummer (ELSTER) 2893081508152", ["2893081508152"]),
    ("Steuernummer 181 815 08155", ["181 815 08155"]),
    ("Vorgang 181 815 08155", []),
    ("tax number 181/815/08155", ["181/815/08155"]),
    # the same shapes without context are file numbers, not evidence enough
    ("Vorgang 81/925/34420 ist abgeschlossen.", []),
    ("Die Datei 2893081508152 liegt im Archiv.", []),
    # too short, dates, a file number with a dash, a phone number
    ("Steuernummer 81/925/3", []),
    ("Steuerbescheid vom 12/03/2025", []),
    ("Steuerakte Az. 63-2025/0815", []),
    ("Finanzamt, Tel. 0511/3344556", []),
])
def test_tax_numbers(text, expected):
    assert found(TaxNumberRecognizer, text) == expected


@pytest.mark.parametrize("text", NON_PII)
def test_no_personal_data(text):
    assert found(TaxNumberRecognizer, text) == []
