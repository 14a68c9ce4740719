"""The synthetic NER sentences: reproducible, aligned to spaCy's tokens, rich in negatives."""
from __future__ import annotations

import re

import pytest
import spacy

from guardrails.ner import synthetic, synthetic_vocab
from guardrails.ner.synthetic_names import WORD_SURNAMES, transliterate, _CYR_DE

N = 1500


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return synthetic.generate(N, seed=7)


def _outside_entities(rec: dict) -> str:
    text = rec["text"]
    for ent in sorted(rec["entities"], key=lambda e: -e["start"]):
        text = text[: ent["start"]] + " " * (ent["end"] - ent["start"]) + text[ent["end"]:]
    return text


def test_same_seed_same_records(records):
    assert synthetic.generate(N, seed=7) == records


def test_other_seed_other_records(records):
    assert synthetic.generate(N, seed=8) != records


def test_spans_align_to_spacy_tokens(records):
    nlp = spacy.blank("de")
    for rec in records:
        doc = nlp.make_doc(rec["text"])
        for ent in rec["entities"]:
            span = doc.char_span(ent["start"], ent["end"], label=ent["label"])
            assert span is not None, (rec["text"], ent)
            assert span.text == span.text.strip()


def test_labels_are_the_trained_ones(records):
    labels = {e["label"] for rec in records for e in rec["entities"]}
    assert labels == {"PER", "LOC", "ORG"}


def test_many_sentences_without_any_person(records):
    without = [r for r in records if not any(e["label"] == "PER" for e in r["entities"])]
    assert 0.25 <= len(without) / len(records) <= 0.6


@pytest.mark.parametrize("word", ["Sehr geehrte Damen und Herren", "Herr der Lage", "Sachbearbeiterin",
                                  "Bürgermeister", "Montag", "März"])
def test_false_friends_occur_unlabelled(records, word):
    assert any(word in _outside_entities(r) for r in records)


def test_word_surnames_occur_as_names_and_as_words(records):
    as_name = {r["text"][e["start"]:e["end"]] for r in records for e in r["entities"] if e["label"] == "PER"}
    as_word = {w for r in records for w in re.findall(r"\w+", _outside_entities(r))}
    assert any(w in as_name for w in WORD_SURNAMES)
    assert {"Vogel", "Koch", "Fuchs", "Braun", "Lange"} & as_word


def test_sentence_initial_nouns_unlabelled(records):
    starts = {r["text"].split()[0] for r in records if r["text"] and not r["entities"]}
    assert len(starts & set(synthetic_vocab.NOUNS)) >= 10


def test_name_shapes_are_varied(records):
    names = [r["text"][e["start"]:e["end"]] for r in records for e in r["entities"] if e["label"] == "PER"]
    assert any("-" in n.split()[-1] for n in names if n.split())          # double-barrelled
    assert any(re.search(r"\b(von|van der|de|di)\b", n) for n in names)   # particles
    assert any(n.startswith(("Al-", "El-")) or " Al-" in n for n in names)
    assert any(n.islower() for n in names)                                # informal chat text
    assert any(n.endswith("s") and n[:-1] in names for n in names)        # genitive "Müllers"
    assert not any(re.search("[\u0400-\u04ff\u0600-\u06ff]", n) for n in names)  # Latin script only


@pytest.mark.parametrize("cyrillic, latin", [("Щукин", "Schtschukin"), ("Жанна", "Schanna"), ("Юрий", "Juri")])
def test_transliteration_german_style(cyrillic, latin):
    assert transliterate(cyrillic, _CYR_DE) == latin
