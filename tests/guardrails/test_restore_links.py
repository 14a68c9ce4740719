"""Originals are never restored into a link: an answer must not carry them to a third party."""
from __future__ import annotations

import pytest

from guardrails import StreamRestorer, Vault, restore_answer, restore_text


@pytest.fixture
def vault() -> Vault:
    v = Vault()
    v.placeholder_for("PERSON", "Katharina Oberländer")
    v.placeholder_for("IBAN_CODE", "DE89 3704 0044 0532 0130 00")
    v.placeholder_for("EMAIL_ADDRESS", "k.oberlaender@example.org")
    return v


@pytest.mark.parametrize("answer,withheld", [
    ("[Profil](https://x.example/?iban=[IBAN_CODE_1])", "[IBAN_CODE_1]"),
    ("Siehe https://x.example/suche?name=[PERSON_1]&q=1 dort.", "[PERSON_1]"),
    ("Link: http://[PERSON_1].example.org/", "[PERSON_1]"),
    ("Besuchen Sie www.example.org/[PERSON_1]", "[PERSON_1]"),
    ('<a href="https://x.example/?to=[EMAIL_ADDRESS_1]">hier</a>', "[EMAIL_ADDRESS_1]"),
    ("<a href='/profil/[PERSON_1]'>Profil</a>", "[PERSON_1]"),
    ('<img src="https://x.example/p.png?iban=[IBAN_CODE_1]">', "[IBAN_CODE_1]"),
    ("[Mail](mailto:[EMAIL_ADDRESS_1])", "[EMAIL_ADDRESS_1]"),
    ("Schreiben Sie an mailto:[EMAIL_ADDRESS_1]", "[EMAIL_ADDRESS_1]"),
    ("[Profil](x.example/?iban=[IBAN_CODE_1])", "[IBAN_CODE_1]"),
    ("<https://x.example/?n=[PERSON_1]>", "[PERSON_1]"),
    ("![Bild](https://x.example/i.png?u=[PERSON_1])", "[PERSON_1]"),
    ("Aufruf: example.org/p?iban=[IBAN_CODE_1]", "[IBAN_CODE_1]"),
])
def test_placeholders_inside_links_are_withheld(vault, answer, withheld):
    result = restore_answer(answer, vault)
    assert withheld in result.text
    assert result.withheld == [withheld]
    assert vault.original(withheld) not in result.text
    assert restore_text(answer, vault) == result.text


@pytest.mark.parametrize("answer,expected", [
    ("Sehr geehrte [PERSON_1], Ihre IBAN [IBAN_CODE_1].", "Sehr geehrte Katharina Oberländer, Ihre IBAN DE89 3704 0044 0532 0130 00."),
    ("Name:[PERSON_1]", "Name:Katharina Oberländer"),
    ("[Profil von [PERSON_1]](https://x.example/profil)", "[Profil von Katharina Oberländer](https://x.example/profil)"),
    ("Siehe https://x.example/info und schreiben Sie an [EMAIL_ADDRESS_1].", "Siehe https://x.example/info und schreiben Sie an k.oberlaender@example.org."),
    ("Datum 12.03.2025: [PERSON_1]", "Datum 12.03.2025: Katharina Oberländer"),
])
def test_placeholders_outside_links_are_restored(vault, answer, expected):
    result = restore_answer(answer, vault)
    assert result.text == expected
    assert result.withheld == []


@pytest.mark.parametrize("chunks", [
    ["[Profil](https://x.exa", "mple/?iban=[IBAN_", "CODE_1]) und [PERSON_1]."],
    ["[Profil](https://x.example/?iban=", "[IBAN_CODE_1]", ") und [PER", "SON_1]."],
    ["[Profil](https://x.example/?iban=[IBAN_CODE_1]) und [PERSON_1]."],
])
def test_streaming_withholds_links_across_chunks(vault, chunks):
    restorer = StreamRestorer(vault)
    out = "".join(restorer.feed(c) for c in chunks) + restorer.flush()
    assert out == "[Profil](https://x.example/?iban=[IBAN_CODE_1]) und Katharina Oberländer."
    assert restorer.withheld == ["[IBAN_CODE_1]"]
