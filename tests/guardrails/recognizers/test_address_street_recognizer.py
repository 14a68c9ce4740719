"""Street addresses: the real recognizer on real spaCy artifacts, valid and invalid side by side."""
from __future__ import annotations

import pytest

from guardrails.recognizers.de.address_street_recognizer import AddressStreetRecognizer

THRESHOLD = 0.4



@pytest.fixture(scope="module")
def recognizer() -> AddressStreetRecognizer:
    rec = AddressStreetRecognizer(supported_language="de")
    rec.load()
    return rec


def found(recognizer, nlp, text: str) -> list[str]:
    artifacts = nlp.process_text(text, "de")
    return [text[r.start:r.end] for r in recognizer.analyze(text, ["ADDRESS"], artifacts)
            if r.score >= THRESHOLD]


@pytest.mark.parametrize("text, expected", [
    # compound street names, with and without postcode and place
    ("ich wohne in der Lindenstraße 14, 04109 Leipzig. Danke", ["Lindenstraße 14, 04109 Leipzig"]),
    ("Hausbesuch in der Kastanienallee 88: Frau Nguyen", ["Kastanienallee 88"]),
    ("Sie lebt in Bergstraße 7a, 69120 Heidelberg, ihre Tochter", ["Bergstraße 7a, 69120 Heidelberg"]),
    ("Anschrift: Ringstraße 21\n30159 Hannover\nTelefon", ["Ringstraße 21\n30159 Hannover"]),
    ("wohnt in Nürnberger Str. 5, 90762 Fürth und", ["Nürnberger Str. 5, 90762 Fürth"]),
    ("Bitte an Goethestraße 40 in 99423 Weimar senden", ["Goethestraße 40 in 99423 Weimar"]),
    ("Sitz: Konrad-Adenauer-Straße 1, 53113 Bonn", ["Konrad-Adenauer-Straße 1, 53113 Bonn"]),
    ("Lieferung an Hauptstr. 12-14", ["Hauptstr. 12-14"]),
    ("Zustellung Lindenweg 12/1, 2. OG links", ["Lindenweg 12/1, 2. OG links"]),
    ("Er wohnt Parkweg 3, Whg. 5 seit Mai", ["Parkweg 3, Whg. 5"]),
    ("Musterweg 4 Hinterhaus bitte klingeln", ["Musterweg 4 Hinterhaus"]),
    ("Musterweg 4 (Hinterhaus), 10115 Berlin", ["Musterweg 4 (Hinterhaus), 10115 Berlin"]),
    ("Feldstr 9 a ist die Adresse", ["Feldstr 9 a"]),
    ("Treffpunkt Frankfurter Allee 12", ["Frankfurter Allee 12"]),
    ("Sie wohnt Hohe Straße 3", ["Hohe Straße 3"]),
    ("Zustellung Lindenstraße 14, Leipzig", ["Lindenstraße 14, Leipzig"]),
    # prepositional and genitive names, Alt-...
    ("Widerspruch von Frau K., Am Mühlbach 3, 93047 Regensburg, ein.", ["Am Mühlbach 3, 93047 Regensburg"]),
    ("Er wohnt An der Alster 12.", ["An der Alster 12"]),
    ("Adresse: Auf der Heide 4", ["Auf der Heide 4"]),
    ("Die Familie lebt Im Winkel 2 seit Jahren.", ["Im Winkel 2"]),
    ("Büro Unter den Linden 77, 10117 Berlin", ["Unter den Linden 77, 10117 Berlin"]),
    ("Praxis Alt-Moabit 101", ["Alt-Moabit 101"]),
    ("Die Kita Zum Sportplatz 5 ist voll.", ["Zum Sportplatz 5"]),
    ("Wir wohnen Am Alten Markt 5.", ["Am Alten Markt 5"]),
    ("Empfang Straße des 17. Juni 135", ["Straße des 17. Juni 135"]),
    ("Post an Platz der Republik 1, 11011 Berlin", ["Platz der Republik 1, 11011 Berlin"]),
    ("c/o Familie Meier, Zeil 5, 60313 Frankfurt am Main", ["Zeil 5, 60313 Frankfurt am Main"]),
    ("Er wohnt am Mühlbach 3 und arbeitet", ["am Mühlbach 3"]),
    ("Wohnhaft Lindenstraße 14 in Leipzig seit 2019.", ["Lindenstraße 14 in Leipzig"]),
    ("hab die adresse: lindenstraße 14", ["lindenstraße 14"]),
    ("Lindenstraße Nr. 14 · 04109 Leipzig", ["Lindenstraße Nr. 14 · 04109 Leipzig"]),
    ("Kanzlei Große Bleichen 12, 20354 Hamburg", ["Große Bleichen 12, 20354 Hamburg"]),
    ("Bitte an Hauptstraße 5 in 12345 Musterstadt", ["Hauptstraße 5 in 12345 Musterstadt"]),
    ("Postanschrift: Postfach 10 02 34, 04002 Leipzig", ["Postfach 10 02 34, 04002 Leipzig"]),
    ("Lieferung an Karl-Marx-Str. 5", ["Karl-Marx-Str. 5"]),
    ("Termin in der Konrad Adenauer Straße 3", ["Konrad Adenauer Straße 3"]),
    ("Sie wohnt in der Oberen Gasse 2.", ["Oberen Gasse 2"]),
    ("Er wohnt Obere Hauptstraße 5 im Dachgeschoss.", ["Obere Hauptstraße 5"]),
    ("Zweitwohnsitz: Mariahilfer Straße 1, 1060 Wien", ["Mariahilfer Straße 1, 1060 Wien"]),
    ("Umzug nach 37520 Osterode am Harz, Am Anger 3", ["Am Anger 3"]),
    ("Neubau Lerchenfeld 12 und Elbdeich 4", ["Lerchenfeld 12", "Elbdeich 4"]),
    # a street without number needs a residence cue
    ("Sie wohnt in der Goethestraße, gleich am Park.", ["Goethestraße"]),
    ("Die Goethestraße wird ab Montag saniert.", []),
    # prose that looks like addresses
    ("Im Jahr 2019 hatten wir 3 Termine.", []),
    ("Zum Punkt 3 der Tagesordnung: keine Einwände.", []),
    ("Zur Frage 2 teile ich Folgendes mit.", []),
    ("Die Sitzung ist in Raum 3.12, nicht in Zimmer 204.", []),
    ("Stellplatz 4 und Arbeitsplatz 3 sind frei, Bahnsteig 3 gesperrt.", []),
    ("Am Montag 3 Anträge, am Freitag 2 weitere.", []),
    ("Im Ausschuss 3 dagegen, In der Anlage 2 steht es, Im Stadtteil 4 auch.", []),
    ("Die Hauptstraße 2025 wird erneuert.", []),
    ("Nach § 35 Abs. 2 BauGB entscheidet das Bauordnungsamt.", []),
    ("Die Stadt Köln plant mit dem Land Nordrhein-Westfalen ein Programm.", []),
    ("Wie viele Einwohner hat Hamburg?", []),
    ("Der Gebührenbescheid über 1.250,00 € folgt, Az. 63-2025/0815.", []),
    ("Die Firewall 2 ist aus, der Heidelberg 3 Cup fällt aus.", []),
    ("Siehe Kapitel 5, 12345 Musterdorf ist nur ein Beispiel.", []),
    ("Stand: Januar 2024, Berlin", []),
    ("Die Bundesstraße 96 ist zwischen Berlin und Rostock gesperrt.", []),
    ("Handlungsfeld 3 beschreibt den Windpark 3, Postfach 12 ist leer.", []),
    ("Bielefeld 3 Spiele, Wuppertal 2 Tore.", []),
    ("Auf der Autobahn 7 gab es Staus, am Standort 2 arbeiten wir.", []),
    ("Am Montag rief Herr Lohmann an, die Schulung am Freitag fällt aus.", []),
])
def test_street_addresses(recognizer, nlp, text, expected):
    assert found(recognizer, nlp, text) == expected


@pytest.mark.parametrize("text, minimum, maximum", [
    ("Lindenstraße 14, 04109 Leipzig", 0.9, 1.0),   # street word, number and known place
    ("Lindenstraße 14", 0.85, 0.9),                 # street word and number
    ("Wohnhaft: Am Mühlbach 3", 0.85, 1.0),         # prepositional name, but a residence cue
    ("Am Mühlbach 3", 0.4, 0.7),                    # prepositional name alone is weaker
])
def test_score_follows_the_evidence(recognizer, nlp, text, minimum, maximum):
    results = recognizer.analyze(text, ["ADDRESS"], nlp.process_text(text, "de"))
    assert len(results) == 1
    assert minimum <= results[0].score <= maximum


def test_english_prompt_with_a_german_address(nlp):
    rec = AddressStreetRecognizer(supported_language="en")
    text = "She lives at Lindenstraße 14, 04109 Leipzig since 2019."
    results = rec.analyze(text, ["ADDRESS"], nlp.process_text(text, "en"))
    assert [text[r.start:r.end] for r in results] == ["Lindenstraße 14, 04109 Leipzig"]


@pytest.mark.parametrize("text, expected", [
    ("Frau Behrendt wohnt in der Lindenstraße 14, 04109 Leipzig.", "Lindenstraße 14, 04109 Leipzig"),
    ("Herr Adeyemi wohnt seit 2019 in Nürnberger Str. 5, 90762 Fürth.", "Nürnberger Str. 5, 90762 Fürth"),
])
def test_whole_address_is_one_finding_through_the_guard(guard, text, expected):
    addresses = [f for f in guard.analyze(text, "de") if f.entity_type == "ADDRESS"]
    assert [text[f.start:f.end] for f in addresses] == [expected]


def test_guard_leaves_city_prose_alone(guard):
    text = "Die Stadt Köln plant ein Förderprogramm. Er ist nach Münster gefahren."
    assert [f for f in guard.analyze(text, "de") if f.entity_type == "ADDRESS"] == []
