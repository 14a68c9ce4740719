from __future__ import annotations

import pytest

from guardrails import Vault


def test_same_value_same_placeholder_and_numbering_by_first_appearance():
    vault = Vault()
    assert vault.placeholder_for("PERSON", "Tobias Wendt") == "[PERSON_1]"
    assert vault.placeholder_for("PERSON", "Frau Okafor") == "[PERSON_2]"
    assert vault.placeholder_for("PERSON", "tobias  wendt") == "[PERSON_1]"
    assert vault.placeholder_for("IBAN_CODE", "DE85230172036881690999") == "[IBAN_CODE_1]"


def test_rebuilt_from_browser_mapping_continues_numbering():
    first = Vault()
    first.placeholder_for("PERSON", "Katrin Behrendt")
    first.placeholder_for("PERSON", "Jana Petersen")
    second = Vault(first.as_mapping())
    assert second.placeholder_for("PERSON", "Jana Petersen") == "[PERSON_2]"
    assert second.placeholder_for("PERSON", "Emre Demir") == "[PERSON_3]"


@pytest.mark.parametrize("mapping", [
    {"PERSON_1": "x"},                 # no brackets
    {"[person_1]": "x"},              # lower case
    {"[PERSON_1](.*)": "x"},          # regex-like junk
    {"[PERSON_1]": ""},               # empty original
    {"[PERSON_1]": 42},               # not a string
])
def test_malformed_client_mappings_are_ignored(mapping):
    assert len(Vault(mapping)) == 0


def test_deterministic_repseudonymisation_of_a_history():
    texts = ["Herr Lohmann ruft an.", "Frau Ullrich und Herr Lohmann"]
    values = [["Lohmann"], ["Ullrich", "Lohmann"]]

    def run():
        vault = Vault()
        return [[vault.placeholder_for("PERSON", v) for v in vs] for vs in values]

    assert run() == run() == [["[PERSON_1]"], ["[PERSON_2]", "[PERSON_1]"]]
    assert texts  # the history itself stays untouched by the vault


def test_reserved_placeholders_from_history_are_not_reused():
    vault = Vault()
    vault.reserve_placeholders_in("Antwort an [PERSON_1] und [PERSON_2] zu [IBAN_CODE_1]")
    assert vault.placeholder_for("PERSON", "Neue Person") == "[PERSON_3]"
    assert vault.placeholder_for("IBAN_CODE", "DE02120300000000202051") == "[IBAN_CODE_2]"
    assert vault.original("[PERSON_1]") is None  # unknown originals stay unknown, shown as placeholders
