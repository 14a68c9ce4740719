"""Terms marked by the person (or on a deny list) are personal data wherever they occur."""
from __future__ import annotations

import pytest

from guardrails import DENY_LIST, PERSON_MARK, Term, Vault


@pytest.mark.parametrize("text,term,entity_type,must_vanish", [
    # a lone first name the guard does not know as a name in this context
    ("Bitte Mareike fragen, ob der Termin passt.", "Mareike", "PERSON", ["Mareike"]),
    # case and invisible characters are forgiven, like any known value
    ("BITTE MAREIKE FRAGEN und dann Ma\u200breike anrufen.", "Mareike", "PERSON", ["MAREIKE", "Ma\u200breike"]),
    # spacing inside a multi-word term
    ("Projekt Blauer\u00a0Falke startet im Mai.", "Blauer Falke", "CONFIDENTIAL", ["Blauer", "Falke"]),
])
def test_a_marked_term_is_replaced_everywhere(guard, text, term, entity_type, must_vanish):
    [result] = guard.scan_conversation([text], Vault(), terms=[Term(term, entity_type)])
    for fragment in must_vanish:
        assert fragment not in result.text, result.text
    marked = [f for f in result.findings if f.recognizer == PERSON_MARK]
    assert marked and all(f.entity_type == entity_type for f in marked)


def test_a_marked_term_gets_the_same_placeholder_in_every_message(guard):
    vault = Vault()
    results = guard.scan_conversation(["Mareike hat angerufen.", "Bitte Mareike zurückrufen."], vault,
                                      terms=[Term("Mareike", "PERSON")])
    assert [r.text for r in results] == ["[PERSON_1] hat angerufen.", "Bitte [PERSON_1] zurückrufen."]
    assert vault.as_mapping()["[PERSON_1]"] == "Mareike"


def test_a_term_does_not_match_inside_other_words(guard):
    [result] = guard.scan_conversation(["Die Falkenstraße ist gesperrt."], Vault(),
                                       terms=[Term("Falke", "CONFIDENTIAL")])
    assert "Falkenstraße" in result.text


def test_deny_list_regular_expression(guard):
    terms = [Term(r"AZ-\d{4}/\d{2}", "FILE_NUMBER", is_regex=True, source=DENY_LIST)]
    [result] = guard.scan_conversation(["Vorgang AZ-2024/17 und AZ-2025/03 prüfen."], Vault(), terms=terms)
    assert "2024/17" not in result.text and "2025/03" not in result.text
    assert {f.recognizer for f in result.findings} == {DENY_LIST}


@pytest.mark.parametrize("term", [Term("", "PERSON"), Term("  ", "PERSON"), Term("(", "X", is_regex=True),
                                  Term("…", "PERSON"), Term("x" * 500, "PERSON")])
def test_unusable_terms_are_ignored_not_fatal(guard, term):
    [result] = guard.scan_conversation(["Ein ganz normaler Satz."], Vault(), terms=[term])
    assert result.text == "Ein ganz normaler Satz."
