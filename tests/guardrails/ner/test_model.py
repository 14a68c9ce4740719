"""The shipped German NER model: loads offline, finds people, leaves ordinary nouns alone.

The sentences below were written for these tests and appear neither in the templates nor in
GermEval, so they probe generalisation, not memory.
"""
from __future__ import annotations

import json

import pytest
import spacy

from guardrails.nlp_engine import SHIPPED_GERMAN_MODEL, OfflineSpacyNlpEngine


@pytest.fixture(scope="module")
def nlp() -> spacy.Language:
    return spacy.load(SHIPPED_GERMAN_MODEL)


def _persons(nlp: spacy.Language, text: str) -> list[str]:
    return [e.text for e in nlp(text).ents if e.label_ == "PER"]


def test_model_folder_is_complete_and_small():
    meta = json.loads((SHIPPED_GERMAN_MODEL / "meta.json").read_text(encoding="utf-8"))
    assert meta["lang"] == "de"
    assert meta["pipeline"] == ["tok2vec", "ner"]
    size = sum(f.stat().st_size for f in SHIPPED_GERMAN_MODEL.rglob("*") if f.is_file())
    assert size < 10_000_000


def test_labels(nlp):
    assert set(nlp.get_pipe("ner").labels) == {"PER", "LOC", "ORG"}


@pytest.mark.parametrize("text, name", [
    ("Gestern hat mich Katharina Wojcik wegen ihrer Einbürgerung angerufen.", "Katharina Wojcik"),
    ("Können Sie Herrn Okonkwo bitte morgen zurückrufen?", "Okonkwo"),
    ("Die Unterlagen von Frau Nguyen sind vollständig.", "Nguyen"),
    ("Ich habe mit Thomas Bergmann über den Bauantrag gesprochen.", "Thomas Bergmann"),
    ("Bitte schreibe eine Antwort an Svetlana Iwanowa, sie wartet seit Mai auf den Bescheid.",
     "Svetlana Iwanowa"),
    ("Herr Müller, bitte rufen Sie mich an.", "Müller"),
    ("hallo, ich bin mehmet özdemir und brauche hilfe bei einer mail.", "mehmet özdemir"),
    ("Der Antrag von Giulia Romano wurde gestern bewilligt.", "Giulia Romano"),
])
def test_finds_people_in_unseen_sentences(nlp, text, name):
    assert name in _persons(nlp, text)


@pytest.mark.parametrize("text", [
    "Antrag liegt seit Dienstag vollständig vor.",
    "Unterlagen bitte bis Freitag an das Bürgeramt senden.",
    "Sehr geehrte Damen und Herren, anbei die Stellungnahme.",
    "Wartezeiten im Sommer sind leider länger.",
    "Personalausweis, Meldebescheinigung und Lohnabrechnungen fehlen noch.",
    "Sachbearbeiterin und Amtsleiter haben den Vorgang geprüft.",
    "Lange Schlangen bildeten sich am Montag vor dem Rathaus.",
    "Der Bürgermeister ist Herr der Lage.",
    "Braun ist die Farbe der neuen Ordner.",
    "Fristverlängerung wurde im März beantragt.",
])
def test_leaves_sentence_initial_nouns_and_false_friends_alone(nlp, text):
    assert _persons(nlp, text) == []


def test_presidio_engine_reports_the_model_as_person_entities():
    engine = OfflineSpacyNlpEngine({"de": None})
    engine.load()
    assert "shipped" in engine.descriptions["de"]
    text = "Bitte leiten Sie das an Frau Nguyen weiter."
    artifacts = engine.process_text(text, "de")
    persons = [text[e.start_char:e.end_char] for e in artifacts.entities if e.label_ in ("PER", "PERSON")]
    assert persons == ["Nguyen"]
