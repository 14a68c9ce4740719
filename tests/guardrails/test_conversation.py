"""Conversation-wide detection, one placeholder per person, user-typed placeholders."""
from __future__ import annotations

import logging

import pytest

from guardrails import PLACEHOLDER_RE, Vault, restore_text


def _texts(results):
    return [r.text for r in results]


@pytest.mark.parametrize("history", [
    ["Bitte Oberländer zurückrufen.", "Es geht um Katharina Oberländer aus Leipzig."],
    ["Ist Oberländer schon da?", "Nein.", "Frau Katharina Oberländer kommt später."],
    ["Katharina Oberländer hat angerufen.", "Oberländer möchte einen Termin."],
    ["Termin mit Frau Oberländer.", "Gemeint ist Katharina Oberländer.", "Oberländer kommt um 10."],
])
def test_a_value_found_in_any_message_is_replaced_in_all(guard, history):
    results = guard.scan_conversation(history, Vault())
    for text in _texts(results):
        assert "Oberländer" not in text and "Katharina" not in text, text
    placeholders = {m.group(0) for r in results for m in PLACEHOLDER_RE.finditer(r.text)}
    assert placeholders == {"[PERSON_1]"}, _texts(results)


def test_scan_prompt_is_the_one_text_case(guard):
    vault_a, vault_b = Vault(), Vault()
    one = guard.scan_prompt("Frau Katharina Oberländer, IBAN DE89 3704 0044 0532 0130 00", vault_a, "de")
    [two] = guard.scan_conversation(["Frau Katharina Oberländer, IBAN DE89 3704 0044 0532 0130 00"], vault_b, ["de"])
    assert one.text == two.text == "Frau [PERSON_1], IBAN [IBAN_CODE_1]"
    assert vault_a.as_mapping() == vault_b.as_mapping()


@pytest.mark.parametrize("turn1,turn2,expected2", [
    ("Katharina Oberländer hat angerufen.", "Bitte Frau Oberländer zurückrufen.", "Bitte Frau [PERSON_1] zurückrufen."),
    ("Katharina Oberländer hat angerufen.", "Katharina braucht den Bescheid.", "[PERSON_1] braucht den Bescheid."),
    ("Frau Oberländer hat angerufen.", "Ihr voller Name: Katharina Oberländer.", "Ihr voller Name: [PERSON_1]."),
])
def test_name_variants_across_turns_keep_the_persons_placeholder(guard, turn1, turn2, expected2):
    vault = Vault()
    guard.scan_prompt(turn1, vault, "de")
    browser_kept = vault.as_mapping()  # the browser sends this back with the next turn
    second = guard.scan_prompt(turn2, Vault(browser_kept), "de")
    assert second.text == expected2
    # What was typed at each occurrence is kept per occurrence, for showing the prompt back.
    [occurrence] = second.occurrences
    assert second.text[occurrence.start:occurrence.end] == "[PERSON_1]"
    assert occurrence.original in turn2


def test_api_path_resending_the_history_gets_the_same_placeholders(guard):
    turns = ["Frau Oberländer hat angerufen.", "Ihr voller Name: Katharina Oberländer, Tel. 0341 5567821."]
    per_turn_vault = Vault()
    per_turn = [guard.scan_prompt(t, per_turn_vault, "de").text for t in turns]
    whole = _texts(guard.scan_conversation(turns, Vault()))
    assert per_turn == whole
    assert per_turn_vault.original("[PERSON_1]") == "Katharina Oberländer"  # upgraded to the full name


def test_a_short_form_that_fits_two_people_gets_its_own_placeholder(guard):
    vault = Vault()
    results = guard.scan_conversation(
        ["Katharina Oberländer und Max Oberländer kommen.", "Frau Oberländer hat angerufen."], vault)
    assert results[0].text == "[PERSON_1] und [PERSON_2] kommen."
    assert results[1].text == "Frau [PERSON_3] hat angerufen."


def test_restore_shows_the_full_name_for_an_alias(guard):
    vault = Vault()
    guard.scan_conversation(["Katharina Oberländer", "Frau Oberländer"], vault)
    assert restore_text("Antwort an [PERSON_1].", vault) == "Antwort an Katharina Oberländer."


@pytest.mark.parametrize("typed", ["[PERSON_1]", "[IBAN_CODE_1]", "[EMAIL_ADDRESS_2]", "[PERSON_12]"])
def test_user_typed_placeholders_can_never_be_confused_with_real_ones(guard, typed):
    vault = Vault()
    text = f"Im Text steht {typed}. Gemeint ist Katharina Oberländer, k.oberlaender@example.org, " \
           f"IBAN DE89 3704 0044 0532 0130 00."
    result = guard.scan_prompt(text, vault, "de")
    real = [m.group(0) for m in PLACEHOLDER_RE.finditer(result.text)]
    assert len(real) == len(set(real)) == 3, result.text  # only the guard's own placeholders
    assert typed not in real or result.text.count(typed) == 1
    assert f"［{typed[1:-1]}］" in result.text
    # Restoring shows the user what they typed, and the real values where they were.
    assert restore_text(result.text, vault) == text


def test_user_typed_placeholder_in_an_answer_is_not_restored_to_a_person(guard):
    vault = Vault()
    result = guard.scan_prompt("Ich schreibe [PERSON_1] als Platzhalter. Frau Katharina Oberländer.", vault, "de")
    echoed = result.text.replace("Ich schreibe", "Sie schreiben")
    assert restore_text(echoed, vault) == "Sie schreiben [PERSON_1] als Platzhalter. Frau Katharina Oberländer."


def test_nothing_personal_reaches_the_logs(guard, caplog):
    caplog.set_level(logging.DEBUG)
    secret_text = "Katharina Oberländer, Passwort: Sommer2024!, IBAN DE89\u200b3704 0044 0532 0130 00"
    guard.scan_conversation([secret_text, "Frau Oberländer"], Vault())
    for value in ("Oberländer", "Sommer2024", "0532"):
        assert value not in caplog.text


@pytest.mark.parametrize("text", [
    "Frau Oberländer und k.oberlaender, also Katharina Oberländer, schreibt [PERSON_1].",
    "Oberlaender\u200b hat angerufen; Katharina Oberländer bittet um Rückruf.",
])
def test_as_typed_gives_back_exactly_what_the_user_wrote(guard, text):
    [result] = guard.scan_conversation([text], Vault())
    assert result.as_typed() == text
    assert len({o.placeholder for o in result.occurrences}) == 1


def test_model_written_history_keeps_the_models_own_placeholders(guard):
    vault = Vault()
    user, answer, follow_up = guard.scan_conversation(
        ["IBAN DE89 3704 0044 0532 0130 00 von Katharina Oberländer",
         "Hier der Link: [Konto](https://bank.example/?iban=[IBAN_CODE_1]) für Katharina Oberländer",
         "Danke. Und was heißt [IBAN_CODE_1]?"],
        vault, model_written=[False, True, False])
    assert user.text == "IBAN [IBAN_CODE_1] von [PERSON_1]"
    assert answer.text == "Hier der Link: [Konto](https://bank.example/?iban=[IBAN_CODE_1]) für [PERSON_1]"
    assert follow_up.text == "Danke. Und was heißt ［IBAN_CODE_1］?"  # typed by the user: escaped
