"""Data preparation: detokenising, name swapping and noun lists keep every span exact."""
from __future__ import annotations

import random

import pytest

from guardrails.ner.data import capitalised_nouns, detokenise, noun_lists, split, swap_names


def _rec(text: str, *spans: tuple[str, str]) -> dict:
    ents, pos = [], 0
    for surface, label in spans:
        start = text.index(surface, pos)
        ents.append({"start": start, "end": start + len(surface), "label": label})
        pos = start + len(surface)
    return {"text": text, "entities": ents}


@pytest.mark.parametrize("text, spans, expected_text", [
    ("Herr Müller , bitte .", [("Müller", "PER")], "Herr Müller, bitte."),
    ('Er sagte " Anna Schmidt " dazu .', [("Anna Schmidt", "PER")], 'Er sagte "Anna Schmidt" dazu.'),
    ("( Berlin ) und Köln ?", [("Berlin", "LOC"), ("Köln", "LOC")], "(Berlin) und Köln?"),
    ("Keine Namen hier", [], "Keine Namen hier"),
])
def test_detokenise_moves_offsets_with_text(text, spans, expected_text):
    rec = _rec(text, *spans)
    out = detokenise(rec)
    assert out["text"] == expected_text
    assert [out["text"][e["start"]:e["end"]] for e in out["entities"]] == [s for s, _ in spans]


def test_split_is_seeded_and_disjoint():
    records = [{"text": str(i), "entities": []} for i in range(100)]
    a = split(records, seed=1, dev_share=0.1, test_share=0.2)
    assert a == split(records, seed=1, dev_share=0.1, test_share=0.2)
    assert [len(part) for part in a] == [70, 10, 20]
    assert len({r["text"] for part in a for r in part}) == 100


def test_swap_names_replaces_only_people_and_shifts_offsets():
    rec = _rec("Anna Schmidt traf Herrn Li in Köln .", ("Anna Schmidt", "PER"), ("Li", "PER"), ("Köln", "LOC"))
    out = swap_names(rec, lambda old: "Maximilian von Hohenberg" if " " in old else "Papadopoulos")
    assert out["text"] == "Maximilian von Hohenberg traf Herrn Papadopoulos in Köln ."
    assert [(out["text"][e["start"]:e["end"]], e["label"]) for e in out["entities"]] == [
        ("Maximilian von Hohenberg", "PER"), ("Papadopoulos", "PER"), ("Köln", "LOC")]


def test_capitalised_nouns_skip_entities_and_sentence_starts():
    rec = _rec("Gestern kaufte Anna Schmidt Äpfel und Birnen in Köln .", ("Anna Schmidt", "PER"), ("Köln", "LOC"))
    assert capitalised_nouns([rec]) == ["Birnen", "Äpfel"]


def test_noun_lists_hold_no_entities_and_are_seeded():
    nouns = ["Tische", "Stühle", "Drucker", "Kabel", "Monitore", "Lampen", "Regale", "Akten"]
    lists = noun_lists(nouns, 20, random.Random(3))
    assert lists == noun_lists(nouns, 20, random.Random(3))
    assert all(r["entities"] == [] and sum(w in r["text"] for w in nouns) >= 2 for r in lists)
