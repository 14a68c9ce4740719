"""Dates of birth: only cued dates, only the date as span; ordinary dates stay."""
from __future__ import annotations

import pytest

from guardrails.recognizers.de.date_of_birth_recognizer import DateOfBirthRecognizer

THRESHOLD = 0.4



def found(nlp, text: str, language: str = "de") -> list[str]:
    recognizer = DateOfBirthRecognizer(supported_language=language)
    artifacts = nlp.process_text(text, language)
    return [text[r.start:r.end] for r in recognizer.analyze(text, ["DATE_OF_BIRTH"], artifacts)
            if r.score >= THRESHOLD]


@pytest.mark.parametrize("text, expected", [
    ("Guten Tag, ich (Mehmet Yıldırım, geb. 04.11.1983) habe", ["04.11.1983"]),
    ("ihr Sohn Minh (geb. 2. Juli 2014) ist anwesend", ["2. Juli 2014"]),
    ("Geburtsdatum: 19.08.1991\nTelefon", ["19.08.1991"]),
    ("Geb.-Datum: 01.01.1970", ["01.01.1970"]),
    ("Geburtstag: 5. Jan. 1955", ["5. Jan. 1955"]),
    ("geboren am 31.12.99 in Köln", ["31.12.99"]),
    ("geboren am 3. Mai 1960", ["3. Mai 1960"]),
    ("geboren in Bad Homburg am 03.03.1977", ["03.03.1977"]),
    ("Sie wurde am 3. Mai 1960 in Köln geboren.", ["3. Mai 1960"]),
    ("* 3.5.1960 in Köln", ["3.5.1960"]),
    ("Herr Maier (*12.03.1980) ist verstorben.", ["12.03.1980"]),
    ("geb. 1975 in Halle", ["1975"]),
    ("geboren im Mai 1980", ["Mai 1980"]),
    ("Er ist Jahrgang 1975.", ["1975"]),
    ("Geburtsdatum 1980-05-04", ["1980-05-04"]),
    ("Geburtsdatum (TT.MM.JJJJ): 04.11.1983", ["04.11.1983"]),
    ("Geburtsdatum/-ort: 04.11.1983 in Leipzig", ["04.11.1983"]),
    ("Geburtsdatum: 04. November 1983 (41 Jahre)", ["04. November 1983"]),
    ("Geburtsjahr 1975", ["1975"]),
    ("Geburtsdatum des Kindes: 04.11.2015", ["04.11.2015"]),
    ("Geburtsdatum / Geburtsort: 19.08.1991 / Leipzig", ["19.08.1991"]),
    # ordinary dates and other uses of the cue words
    ("Widerspruch gegen den Bescheid vom 12.03.2025", []),
    ("Herr Fuchs wurde am 03.02.2025 angehört.", []),
    ("Bitte bis 14.05. einreichen, die Sitzung ist am 18. März.", []),
    ("Frist: 2025-01-31, Termin 3. Juli 2025", []),
    ("Maria Müller geb. Schmidt wohnt hier.", []),
    ("geb. 45.13.1980 ist kein Datum", []),
    ("Fußnote *1 und 3 * 4 = 12", []),
    ("Zum 80. Geburtstag am 18. März gratulieren wir.", []),
    ("Die Klasse ist Jahrgang 2010 der Gesamtschule.", []),
])
def test_german_dates_of_birth(nlp, text, expected):
    assert found(nlp, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("He was born on 4 May 1980.", ["4 May 1980"]),
    ("DOB: 1980-05-04", ["1980-05-04"]),
    ("Born May 4, 1980 in Leeds", ["May 4, 1980"]),
    ("born on the 4th of May 1980", ["4th of May 1980"]),
    ("date of birth is 4 May 1980", ["4 May 1980"]),
    ("born in Leipzig on 4 May 1980", ["4 May 1980"]),
    ("Date of birth: 05/24/1980", ["05/24/1980"]),
    ("The deadline is 4 May 2025.", []),
    ("You may 4, 2025 be right", []),
])
def test_english_dates_of_birth(nlp, text, expected):
    assert found(nlp, text, "en") == expected


@pytest.mark.parametrize("text, expected", [
    ("Name;Geburtsdatum;Anschrift\nMüller;19.08.1991;Lindenstraße 14\nSchmidt;1.2.1980;Weg 3",
     ["19.08.1991", "1.2.1980"]),
    ("| Name | Geburtsdatum | Ort |\n|---|---|---|\n| Anna Roth | 04.11.1983 | Köln |\n| Tim Ko | 2. Mai 2001 | Bonn |",
     ["04.11.1983", "2. Mai 2001"]),
    ("Name\tGeb.-Datum\nRoth\t04.11.1983", ["04.11.1983"]),
    # a date column without a birth header, and dates after the table has ended
    ("Termin;Datum\nAnhörung;19.08.2025", []),
    ("Name;Geburtsdatum\nMüller;19.08.1991\n\nBescheid;12.03.2025", ["19.08.1991"]),
])
def test_birth_date_column_of_a_pasted_table(nlp, text, expected):
    assert found(nlp, text) == expected


def test_cohort_year_is_weaker_than_a_birth_date(nlp):
    rec = DateOfBirthRecognizer()
    text = "Jahrgang 1975, geb. 04.11.1975"
    scores = {text[r.start:r.end]: r.score
              for r in rec.analyze(text, ["DATE_OF_BIRTH"], nlp.process_text(text, "de"))}
    assert scores["1975"] < scores["04.11.1975"]
    assert scores["04.11.1975"] >= 0.85


def test_guard_redacts_only_the_birth_date(guard):
    text = "Antrag vom 12.03.2025: Frau Koch, geboren am 19.08.1991, bittet um Rückruf bis 14.05."
    spans = [text[f.start:f.end] for f in guard.analyze(text, "de") if f.entity_type == "DATE_OF_BIRTH"]
    assert spans == ["19.08.1991"]
