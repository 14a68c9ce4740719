"""How the detector weighs the NER model's PERSON spans against lists and cues.

The model is simulated by passing spans directly, so these rules are tested whether or not
a trained pipeline is installed.
"""
from __future__ import annotations

import pytest

from guardrails.names import find_person_names


def _span_of(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def _found(text: str, ner: tuple[str, ...] = ()) -> dict[str, float]:
    spans = [_span_of(text, part) for part in ner]
    return {text[s.start:s.end]: s.score for s in find_person_names(text, "de", spans)}


@pytest.mark.parametrize(("text", "ner", "expected"), [
    # a known surname the lists alone would not dare to flag
    ("Laut Lohmann ist alles erledigt.", (), {}),
    ("Laut Lohmann ist alles erledigt.", ("Lohmann",), {"Lohmann": 0.85}),
    # the model alone, on two unknown capitalised words: moderate
    ("Gestern sprach Zarkovic Vuletanin im Ausschuss.", ("Zarkovic Vuletanin",), {"Zarkovic Vuletanin": 0.5}),
    # the model alone never flags nouns, places, titles or a lone sentence-initial word
    ("Das Bauordnungsamt prüft den Antrag.", ("Bauordnungsamt",), {}),
    ("Wir fahren nach Hamburg.", ("Hamburg",), {}),
    ("Sehr geehrte Damen und Herren, wir antworten.", ("Damen",), {}),
    ("Im Mai beginnt die Frist.", ("Mai",), {}),
    # a title inside the model's span stays outside the name
    ("Gestern rief Herr Lindqvist an.", ("Herr Lindqvist",), {"Lindqvist": 0.85}),
    # the model's span stops at an authority named after the person
    ("Dies ist ein Fall für Herrn Özdemir von der Ausländerbehörde.",
     ("Özdemir von der Ausländerbehörde",), {"Özdemir": 0.85}),
])
def test_ner_evidence(text, ner, expected):
    assert _found(text, ner) == expected


def test_cue_beats_missing_lists():
    # "Okonjo" is in no list; the title alone carries it.
    assert _found("Bitte informieren Sie Frau Okonjo-Braun.") == {"Okonjo-Braun": 0.85}


def test_first_name_is_a_cue_for_a_word_surname():
    assert set(_found("Bitte Sabine Vogel anrufen.")) == {"Sabine Vogel"}
    assert _found("Der Vogel singt.") == {}


def test_repeated_name_is_found_again():
    text = "Frau Okafor hat angerufen. Okafor bittet um Rückruf."
    assert [text[s.start:s.end] for s in find_person_names(text, "de")] == ["Okafor", "Okafor"]


def test_spans_do_not_overlap():
    spans = find_person_names("Herr Dr. Hans-Georg Kellermann und Frau Kellermann", "de")
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
