from __future__ import annotations

import pytest

from guardrails.recognizers.generic.email_recognizer import EmailRecognizer
from tests.guardrails.recognizers.identifier_support import NON_PII, found


@pytest.mark.parametrize("text, expected", [
    ("Sie erreichen mich unter k.behrendt@web.de.", ["k.behrendt@web.de"]),
    ("Bewerberin Leonie Hartmann (leonie.hartmann93@gmx.de) hat", ["leonie.hartmann93@gmx.de"]),
    ("Kontakt: f.vonsaldern@kreis-beispielstadt.de, +49 5121", ["f.vonsaldern@kreis-beispielstadt.de"]),
    ("an jürgen.müller+amt@stadt.berlin", ["jürgen.müller+amt@stadt.berlin"]),
    # near misses: no TLD, a file name, no local part
    ("Der Server heißt admin@localhost.", []),
    ("Bitte logo@2x.png einbinden.", []),
    ("Vertippt: a..b@example.de bleibt eine Adresse.", ["a..b@example.de"]),
    ("Nur @stadt.de ohne Namen.", []),
])
def test_email_addresses(text, expected):
    assert found(EmailRecognizer, text) == expected


def test_english_text_is_covered():
    assert found(EmailRecognizer, "Please write to jane.doe@example.org.", "en") == ["jane.doe@example.org"]


@pytest.mark.parametrize("text", NON_PII)
def test_no_personal_data(text):
    assert found(EmailRecognizer, text) == []
