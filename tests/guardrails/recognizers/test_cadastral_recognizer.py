"""Land-register references: whole chains as one span, lone 'Flur' or 'Gemarkung' left alone."""
from __future__ import annotations

import pytest

from guardrails.recognizers.de.cadastral_recognizer import CadastralRecognizer



@pytest.mark.parametrize("text, expected", [
    ("Das Grundstück Gemarkung Musterdorf, Flur 3, Flurstück 123/4 ist betroffen.",
     ["Gemarkung Musterdorf, Flur 3, Flurstück 123/4"]),
    ("Gemarkung Altstadt Flur 12 Flurstück 99", ["Gemarkung Altstadt Flur 12 Flurstück 99"]),
    ("Gemarkung Bad Homburg, Flurstücke 12/1, 12/2 und 13", ["Gemarkung Bad Homburg, Flurstücke 12/1, 12/2 und 13"]),
    ("Bauvorhaben auf Flst. 45/2 und Flurstück 46.", ["Flst. 45/2", "Flurstück 46"]),
    ("Flur 7, Flurst. 88/1", ["Flur 7, Flurst. 88/1"]),
    ("Grundbuch von Musterdorf, Blatt 1234", ["Grundbuch von Musterdorf, Blatt 1234"]),
    ("Grundbuchblatt 567", ["Grundbuchblatt 567"]),
    ("Gemarkung: Musterdorf, Flur: 3, Flurstück: 123/4.", ["Gemarkung: Musterdorf, Flur: 3, Flurstück: 123/4"]),
    ("Gmkg. Musterdorf, Fl. 3, Flst. 123/4", ["Gmkg. Musterdorf, Fl. 3, Flst. 123/4"]),
    ("Flurstücksnummer 77/3 und Flurstück Nr. 12", ["Flurstücksnummer 77/3", "Flurstück Nr. 12"]),
    ("Fl. 3 ist im Erdgeschoss.", []),
    ("Das Flurstück 456/7 der Gemarkung Oberdorf soll bebaut werden.", ["Flurstück 456/7 der Gemarkung Oberdorf"]),
    ("Flst. 12 in der Gemarkung Bad Homburg, Bauantrag", ["Flst. 12 in der Gemarkung Bad Homburg"]),
    ("Der Flur 3 im Rathaus ist gesperrt.", []),
    ("Die Gemarkung Musterdorf hat 500 Einwohner.", []),
    ("Die Flurbereinigung 2020 ist abgeschlossen, § 35 Abs. 2 BauGB gilt.", []),
])
def test_cadastral_references(nlp, text, expected):
    rec = CadastralRecognizer()
    results = rec.analyze(text, ["DE_CADASTRAL"], nlp.process_text(text, "de"))
    assert [text[r.start:r.end] for r in results] == expected
    assert all(r.score >= 0.85 for r in results)


def test_through_the_guard(guard):
    text = "Bauantrag für Gemarkung Musterdorf, Flur 3, Flurstück 123/4, Aktenzeichen 63-2025/0815."
    spans = [(f.entity_type, text[f.start:f.end]) for f in guard.analyze(text, "de")
             if f.entity_type == "DE_CADASTRAL"]
    assert spans == [("DE_CADASTRAL", "Gemarkung Musterdorf, Flur 3, Flurstück 123/4")]
