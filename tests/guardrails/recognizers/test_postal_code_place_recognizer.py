"""Postcode plus place: the real recognizer, the shipped place list and real spaCy artifacts."""
from __future__ import annotations

import pytest

from guardrails.recognizers.de._places import PLACES_FILE, place_index, valid_postcode
from guardrails.recognizers.de.postal_code_place_recognizer import PostalCodePlaceRecognizer

THRESHOLD = 0.4



@pytest.fixture(scope="module")
def recognizer() -> PostalCodePlaceRecognizer:
    return PostalCodePlaceRecognizer(supported_language="de")


def found(recognizer, nlp, text: str) -> list[tuple[str, float]]:
    artifacts = nlp.process_text(text, "de")
    return [(text[r.start:r.end], r.score) for r in recognizer.analyze(text, ["ADDRESS"], artifacts)]


@pytest.mark.parametrize("text, expected", [
    ("Bitte senden an 04109 Leipzig.", ["04109 Leipzig"]),
    ("D-10115 Berlin", ["D-10115 Berlin"]),
    ("Postfach 1234, 60311 Frankfurt am Main, Deutschland", ["60311 Frankfurt am Main"]),
    ("Hauptsitz in 06108 Halle (Saale).", ["06108 Halle (Saale)"]),
    ("Zweigstelle 79098 Freiburg i. Br. schließt", ["79098 Freiburg i. Br."]),
    ("Er zog nach 80331 München, danach", ["80331 München"]),
    ("Lieferadresse 90762 Fürth", ["90762 Fürth"]),
    ("Umzug nach 37520 Osterode am Harz.", ["37520 Osterode am Harz"]),
    ("Sitz: 84453 Mühldorf am Inn", ["84453 Mühldorf am Inn"]),
    ("Die Sprechstunde in 04109 Leipzig am Montag entfällt.", ["04109 Leipzig"]),
    ("Büro in 10999 Berlin-Kreuzberg, zweiter Hof", ["10999 Berlin-Kreuzberg"]),
    # not a postcode + place
    ("Die Stadt Köln plant ein neues Förderprogramm.", []),
    ("Wie viele Einwohner hat Hamburg?", []),
    ("Er ist nach Münster gefahren.", []),
    ("05123 Köln und 00815 Bonn sind keine Postleitzahlen.", []),
    ("Es kamen 1234 Leipziger zur Wahl.", []),
    ("Kassenzeichen 123456 Berlin", []),
    ("Es wurden 15000 Essen und 12000 Waren ausgegeben.", []),
    ("Lieferung nach 45127 Essen", ["45127 Essen"]),
    ("Az. 63-2025/0815 Leipzig", []),
])
def test_postcode_with_known_place(recognizer, nlp, text, expected):
    assert [span for span, score in found(recognizer, nlp, text) if score >= THRESHOLD] == expected


@pytest.mark.parametrize("text", ["Sie wohnt in 12345 Musterdorf.", "Die Zahl 54321 Irgendwas"])
def test_unknown_place_is_weak_evidence(recognizer, nlp, text):
    results = found(recognizer, nlp, text)
    assert len(results) == 1 and results[0][1] < THRESHOLD


@pytest.mark.parametrize("digits, valid", [
    ("04109", True), ("99423", True), ("10115", True),
    ("00123", False), ("05123", False), ("43210", False), ("62000", False), ("1234", False),
])
def test_postcode_shape(digits, valid):
    assert valid_postcode(digits) is valid


def test_place_list_is_attributed_and_covers_large_and_small_places():
    header = PLACES_FILE.read_text(encoding="utf-8").splitlines()[:3]
    assert any("GeoNames" in line and "CC BY 4.0" in line for line in header)
    names = place_index().names
    assert {"Berlin", "München", "Köln", "Leipzig", "Fürth", "Frankfurt am Main", "Halle (Saale)"} <= names
    assert 5000 < len(names) < 20000


@pytest.mark.parametrize("text, covered", [
    ("Wohnhaft in 12345 Musterdorf seit 2020.", "12345 Musterdorf"),   # weak shape lifted by a cue
    ("Bitte schicken Sie es nach 04109 Leipzig.", "04109 Leipzig"),
])
def test_through_the_guard(guard, text, covered):
    spans = [text[f.start:f.end] for f in guard.analyze(text, "de") if f.entity_type == "ADDRESS"]
    assert spans == [covered]


def test_guard_ignores_weak_shape_without_cue(guard):
    text = "Die Statistik nennt 54321 Irgendwas im Bericht."
    assert [f for f in guard.analyze(text, "de") if f.entity_type == "ADDRESS"] == []
