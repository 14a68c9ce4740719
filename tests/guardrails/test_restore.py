from __future__ import annotations

import random

import pytest

from guardrails import StreamRestorer, Vault, restore_text


@pytest.fixture
def vault() -> Vault:
    v = Vault()
    v.placeholder_for("PERSON", "Katrin Behrendt")
    v.placeholder_for("IBAN_CODE", "DE07 1644 4004 5923 0875 72")
    return v


def test_restore_replaces_known_placeholders_only(vault):
    text = "Sehr geehrte [PERSON_1], Ihre IBAN [IBAN_CODE_1]; [PERSON_9] bleibt; [x] auch."
    assert restore_text(text, vault) == (
        "Sehr geehrte Katrin Behrendt, Ihre IBAN DE07 1644 4004 5923 0875 72; [PERSON_9] bleibt; [x] auch.")


def test_restored_values_are_not_treated_as_patterns():
    v = Vault({"[PERSON_1]": r"a\1$&(.*)"})
    assert restore_text("Hallo [PERSON_1]!", v) == r"Hallo a\1$&(.*)!"


@pytest.mark.parametrize("chunks", [
    ["Hallo [PER", "SON_1], wie geht", "s?"],
    ["Hallo [", "PERSON_", "1", "]", ", wie gehts?"],
    ["Hallo [PERSON_1", "], wie gehts?"],
    ["Hallo [PERSON_1], wie gehts?"],
])
def test_stream_restorer_handles_split_placeholders(vault, chunks):
    restorer = StreamRestorer(vault)
    out = "".join(restorer.feed(c) for c in chunks) + restorer.flush()
    assert out == "Hallo Katrin Behrendt, wie gehts?"


def test_stream_restorer_releases_brackets_that_are_no_placeholder(vault):
    restorer = StreamRestorer(vault)
    assert restorer.feed("Liste [a") == "Liste [a"
    assert restorer.feed(" [1] ok") == " [1] ok"
    assert restorer.feed(" [IBAN") == " "
    assert restorer.flush() == "[IBAN"


def test_stream_restorer_random_chunking_equals_whole_restore(vault):
    text = "[PERSON_1] zahlt auf [IBAN_CODE_1]. [PERSON_1]! Ende [unbekannt] [PERSON_2]"
    expected = restore_text(text, vault)
    rng = random.Random(7)
    for _ in range(200):
        cuts = sorted(rng.sample(range(1, len(text)), rng.randint(1, 12)))
        parts = [text[i:j] for i, j in zip([0, *cuts], [*cuts, len(text)])]
        restorer = StreamRestorer(vault)
        assert "".join(restorer.feed(p) for p in parts) + restorer.flush() == expected
