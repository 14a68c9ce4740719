from __future__ import annotations

import pytest

from guardrails.recognizers.de.health_insurance_recognizer import HealthInsuranceRecognizer
from tests.guardrails.recognizers.identifier_support import NON_PII, found


@pytest.mark.parametrize("text, expected", [
    ("seine Krankenversichertennummer S057639902. Bitte", ["S057639902"]),
    ("KVNR A000500015", ["A000500015"]),
    # wrong check digit, lower case, too short, too long
    ("Krankenversichertennummer S057639903", []),
    ("Krankenversichertennummer s057639902", []),
    ("Krankenversichertennummer S05763990", []),
    ("Krankenversichertennummer S0576399021", []),
])
def test_health_insurance_numbers(text, expected):
    assert found(HealthInsuranceRecognizer, text) == expected


@pytest.mark.parametrize("text", NON_PII)
def test_no_personal_data(text):
    assert found(HealthInsuranceRecognizer, text) == []


def test_guard_finds_social_security_and_health_insurance_numbers(guard):
    text = ("Die Sozialversicherungsnummer ist 53 180576 A 779, "
            "seine Krankenversichertennummer S057639902.")
    found_types = {(text[f.start:f.end], f.entity_type) for f in guard.analyze(text, "de")}
    assert ("53 180576 A 779", "DE_SOCIAL_SECURITY") in found_types
    assert ("S057639902", "DE_HEALTH_INSURANCE") in found_types
